import "server-only";
import type { Db } from "@/db/client";
import { activity, projects } from "@/db/schema";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { authorizeProject } from "../access";
import { isUuid } from "../access";
import {
  isPgTimestamp,
  keysetList,
  type KeyPart,
  type KeysetList,
  type ListKind,
  countUpTo,
  countUpToColumn,
  rowsToCount,
  totalOfPage,
} from "../keyset";
import { PAGE_SIZE, type Actor, type Page } from "../types";

export interface ActivityItem {
  id: string;
  action: string;
  actorEmail: string | null;
  /** Set when an API key made the change: the key is the actor (acting for actorEmail). */
  actorApiKeyName: string | null;
  /** Set when a single sign-on connection made the change (just-in-time membership). */
  actorConnectionName: string | null;
  /** Set when SCIM provisioning made the change: the activity reads "SCIM". */
  actorScim: boolean;
  targetEmail: string | null;
  oldRole: string | null;
  newRole: string | null;
  /** The project's current name, or the name it had when it was deleted. */
  projectName: string | null;
  detail: string | null;
  createdAt: Date;
}

/** Activity is counted up to this many records, so a long history costs what one page costs. */
export const ACTIVITY_COUNT_CAP = 10_000;

// Newest first, the id breaking ties of one instant; served by activity_project_idx and
// activity_org_idx ((project_id | org_id), created_at, id). The timestamp travels as Postgres's
// own text (microseconds), never through a JS Date (milliseconds), or rows would be skipped.
export const ACTIVITY_KEY: KeyPart[] = [
  { expr: sql`${activity.createdAt}`, type: "timestamptz", valid: isPgTimestamp },
  { expr: sql`${activity.id}`, type: "uuid", valid: isUuid },
];

export function activityList(db: Db, where: SQL | undefined, list: ListKind, cursor: unknown): KeysetList<ActivityItem> {
  // The count travels with the rows: one statement.
  const matching = () => rowsToCount(db, activity, where);
  return keysetList({
    list,
    cursor,
    size: PAGE_SIZE,
    direction: "desc",
    keys: ACTIVITY_KEY,
    fetch: (after, order, limit) =>
      db
        .select({
          id: activity.id,
          action: activity.action,
          actorEmail: activity.actorEmail,
          actorApiKeyName: activity.actorApiKeyName,
          actorConnectionName: activity.actorConnectionName,
          actorScim: sql<boolean>`${activity.actorScimTokenId} is not null`,
          targetEmail: activity.targetEmail,
          oldRole: activity.oldRole,
          newRole: activity.newRole,
          projectName: sql<string | null>`coalesce(${projects.name}, ${activity.projectName})`,
          detail: activity.detail,
          createdAt: activity.createdAt,
          at: sql<string>`${activity.createdAt}::text`,
          total: countUpToColumn(matching(), ACTIVITY_COUNT_CAP),
        })
        .from(activity)
        .leftJoin(projects, eq(projects.id, activity.projectId))
        .where(and(where, after))
        .orderBy(...order)
        .limit(limit),
    keyOf: (r) => [r.at, r.id],
    finish: async (page) => ({
      items: page.rows.map(({ at: _at, total: _total, ...item }) => item),
      ...(await totalOfPage(page.rows, cursor, ACTIVITY_COUNT_CAP, () => countUpTo(db, matching(), ACTIVITY_COUNT_CAP))),
      start: page.start,
      next: page.next,
      prev: page.prev,
      pageSize: PAGE_SIZE,
    }),
  });
}

/** A project's membership activity, newest first, 50 a page; Project Admins and Organization Owners. */
export async function listActivity(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; cursor?: string | null },
): Promise<Page<ActivityItem>> {
  await authorizeProject(db, actor, input, "activity.view");
  return projectActivityList(db, input).read();
}

/** A project's activity as a keyset list (its pages read alone, or its first page with others: `readFirstPages`). */
export function projectActivityList(db: Db, input: { orgId: string; projectId: string; cursor?: string | null }): KeysetList<ActivityItem> {
  return activityList(db, and(eq(activity.orgId, input.orgId), eq(activity.projectId, input.projectId)), "activity", input.cursor);
}
