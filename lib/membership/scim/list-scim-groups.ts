import "server-only";
import { and, asc, count, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scimGroups } from "@/db/schema";
import type { ScimActor } from "../activity/record-activity";
import type { ScimGroupView } from "./scim-group-rules";
import { groupColumns, membersOf } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/** The filters /Groups answers (the ones Okta and Entra send): one attribute, `eq`. */
export type ScimGroupFilter = { attribute: "displayName" | "externalId"; value: string };

/**
 * One page of an organization's SCIM groups (GET /Groups), in id order: startIndex is 1-based;
 * `displayName eq` is served by the unique index on lower(display_name), `externalId eq` by its
 * index. Members come in one more query for the whole page, unless `members: false`.
 */
export async function listScimGroups(
  db: Db,
  actor: ScimActor | null,
  input: { orgId: string; filter: ScimGroupFilter | null; startIndex: number; count: number; members?: boolean },
): Promise<{ total: number; items: ScimGroupView[] }> {
  assertScimOrg(actor, input.orgId);
  const where = and(eq(scimGroups.orgId, input.orgId), filterSql(input.filter));
  const [total] = await db.select({ n: count() }).from(scimGroups).where(where);
  const rows =
    input.count > 0
      ? await db
          .select(groupColumns)
          .from(scimGroups)
          .where(where)
          .orderBy(asc(scimGroups.id))
          .limit(input.count)
          .offset(Math.max(0, input.startIndex - 1))
      : [];
  const members =
    input.members === false
      ? null
      : await membersOf(
          db,
          rows.map((r) => r.id),
        );
  return { total: total?.n ?? 0, items: rows.map((r) => ({ ...r, members: members ? (members.get(r.id) ?? []) : null })) };
}

function filterSql(filter: ScimGroupFilter | null): SQL | undefined {
  if (!filter) return undefined;
  return filter.attribute === "displayName"
    ? sql`lower(${scimGroups.displayName}) = lower(${filter.value})`
    : eq(scimGroups.externalId, filter.value);
}
