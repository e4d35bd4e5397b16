import "server-only";
import { and, asc, count, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, scimUsers, users } from "@/db/schema";
import type { ScimActor } from "../activity/record-activity";
import { assertScimOrg, type ScimUserView } from "./scim-user-rules";
import { scimUsersQuery } from "./scim-user-store";

/** The filters /Users answers (RFC 7644 §3.4.2.2, the subset Okta and Entra send): one attribute, `eq`. */
export type ScimUserFilter = { attribute: "userName" | "email" | "externalId"; value: string } | { attribute: "active"; value: boolean };

/**
 * One page of an organization's SCIM users (GET /Users), in the order of the primary key
 * (org_id, user_id): startIndex is 1-based; each filter is served by an index of scim_users.
 */
export async function listScimUsers(
  db: Db,
  actor: ScimActor | null,
  input: { orgId: string; filter: ScimUserFilter | null; startIndex: number; count: number },
): Promise<{ total: number; items: ScimUserView[] }> {
  assertScimOrg(actor, input.orgId);
  const where = and(eq(scimUsers.orgId, input.orgId), filterSql(input.filter));
  const [total] = await db
    .select({ n: count() })
    .from(scimUsers)
    .leftJoin(
      organizationMemberships,
      and(eq(organizationMemberships.orgId, scimUsers.orgId), eq(organizationMemberships.userId, scimUsers.userId)),
    )
    .innerJoin(users, eq(users.id, scimUsers.userId))
    .where(where);
  const items =
    input.count > 0
      ? await scimUsersQuery(db)
          .where(where)
          .orderBy(asc(scimUsers.orgId), asc(scimUsers.userId))
          .limit(input.count)
          .offset(Math.max(0, input.startIndex - 1))
      : [];
  return { total: total?.n ?? 0, items };
}

function filterSql(filter: ScimUserFilter | null): SQL | undefined {
  if (!filter) return undefined;
  switch (filter.attribute) {
    case "userName":
      return sql`lower(${scimUsers.userName}) = lower(${filter.value})`;
    case "email":
      return sql`lower(${scimUsers.email}) = lower(${filter.value})`;
    case "externalId":
      return eq(scimUsers.externalId, filter.value);
    case "active":
      return filter.value
        ? sql`(${scimUsers.active} and ${organizationMemberships.userId} is not null)`
        : sql`not (${scimUsers.active} and ${organizationMemberships.userId} is not null)`;
  }
}
