import "server-only";
import type { Db } from "@/db/client";
import { activity, projects } from "@/db/schema";
import { and, asc, eq, sql } from "drizzle-orm";

/** One activity record as the audit export writes it: the page's columns plus every id behind them. */
export interface ActivityExportRow {
  id: string;
  /** ISO 8601 in UTC with the microseconds Postgres keeps: 2026-12-01T09:30:00.123456Z. */
  createdAt: string;
  action: string;
  actorId: string | null;
  actorEmail: string | null;
  actorApiKeyId: string | null;
  actorApiKeyName: string | null;
  actorConnectionName: string | null;
  actorScim: boolean;
  targetUserId: string | null;
  targetEmail: string | null;
  projectId: string | null;
  /** The project's current name, or the name it had when it was deleted (as on the page). */
  projectName: string | null;
  oldRole: string | null;
  newRole: string | null;
  detail: string | null;
}

/** Rows read per query: one page is all the export ever holds of the table. */
export const EXPORT_PAGE_SIZE = 1_000;

const at = sql<string>`to_char(${activity.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The organization's activity in [from, to), oldest first (created_at, then id), one page per
 * query by keyset through activity_org_idx (org_id, created_at, id): the next page is asked for
 * only when the previous one has been taken, so memory holds one page whatever the range holds.
 * Each page is its own statement, not one snapshot: no transaction or connection is held while a
 * slow client reads, and a record committed meanwhile is included when it sorts after the pages
 * already read. The key travels as Postgres's own text (microseconds), never through a JS Date.
 */
export async function* activityExportPages(
  db: Db,
  range: { orgId: string; from: string; to: string },
  pageSize: number = EXPORT_PAGE_SIZE,
): AsyncGenerator<ActivityExportRow[], void, undefined> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const rows: ActivityExportRow[] = await db
      .select({
        id: activity.id,
        createdAt: at,
        action: activity.action,
        actorId: activity.actorId,
        actorEmail: activity.actorEmail,
        actorApiKeyId: activity.actorApiKeyId,
        actorApiKeyName: activity.actorApiKeyName,
        actorConnectionName: activity.actorConnectionName,
        actorScim: sql<boolean>`${activity.actorScimTokenId} is not null`,
        targetUserId: activity.targetUserId,
        targetEmail: activity.targetEmail,
        projectId: activity.projectId,
        projectName: sql<string | null>`coalesce(${projects.name}, ${activity.projectName})`,
        oldRole: activity.oldRole,
        newRole: activity.newRole,
        detail: activity.detail,
      })
      .from(activity)
      .leftJoin(projects, eq(projects.id, activity.projectId))
      .where(
        and(
          eq(activity.orgId, range.orgId),
          sql`${activity.createdAt} >= cast(${range.from} as timestamptz)`,
          sql`${activity.createdAt} < cast(${range.to} as timestamptz)`,
          after ? sql`(${activity.createdAt}, ${activity.id}) > (cast(${after.at} as timestamptz), cast(${after.id} as uuid))` : undefined,
        ),
      )
      .orderBy(asc(activity.createdAt), asc(activity.id))
      .limit(pageSize);
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    const last: ActivityExportRow = rows.at(-1)!;
    after = { at: last.createdAt, id: last.id };
  }
}
