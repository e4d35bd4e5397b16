import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { activity, projects } from "@/db/schema";
import { authorizeOrg, authorizeProject } from "./access";
import { pageNumber } from "./list-collaborators";
import { PAGE_SIZE, type Actor, type Page } from "./types";

export interface ActivityItem {
  id: string;
  action: string;
  actorEmail: string | null;
  /** Set when an API key made the change: the key is the actor (acting for actorEmail). */
  actorApiKeyName: string | null;
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

async function pageOfActivity(db: Db, where: SQL | undefined, page: number): Promise<Page<ActivityItem>> {
  const upTo = db.select({ one: sql`1` }).from(activity).where(where).limit(ACTIVITY_COUNT_CAP + 1).as("up_to");
  const [items, [counted]] = await Promise.all([
    db
      .select({
        id: activity.id,
        action: activity.action,
        actorEmail: activity.actorEmail,
        actorApiKeyName: activity.actorApiKeyName,
        targetEmail: activity.targetEmail,
        oldRole: activity.oldRole,
        newRole: activity.newRole,
        projectName: sql<string | null>`coalesce(${projects.name}, ${activity.projectName})`,
        detail: activity.detail,
        createdAt: activity.createdAt,
      })
      .from(activity)
      .leftJoin(projects, eq(projects.id, activity.projectId))
      .where(where)
      .orderBy(desc(activity.createdAt), desc(activity.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(upTo),
  ]);
  const n = counted?.n ?? 0;
  return n > ACTIVITY_COUNT_CAP ? { items, total: ACTIVITY_COUNT_CAP, capped: true, page, pageSize: PAGE_SIZE } : { items, total: n, page, pageSize: PAGE_SIZE };
}

/** A project's membership activity, newest first, 50 a page; Project Admins and Organization Owners. */
export async function listActivity(db: Db, actor: Actor | null, input: { orgId: string; projectId: string; page?: number }): Promise<Page<ActivityItem>> {
  await authorizeProject(db, actor, input, "activity.view");
  return readActivity(db, input);
}

/** The page of a project's activity itself, for a caller that has already authorized "activity.view". */
export function readActivity(db: Db, input: { orgId: string; projectId: string; page?: number }): Promise<Page<ActivityItem>> {
  return pageOfActivity(db, and(eq(activity.orgId, input.orgId), eq(activity.projectId, input.projectId)), pageNumber(input.page));
}

/** The whole organization's activity; Organization Owners only. */
export async function listOrganizationActivity(db: Db, actor: Actor | null, input: { orgId: string; page?: number }): Promise<Page<ActivityItem>> {
  await authorizeOrg(db, actor, input.orgId, "org.activity.view");
  return pageOfActivity(db, eq(activity.orgId, input.orgId), pageNumber(input.page));
}
