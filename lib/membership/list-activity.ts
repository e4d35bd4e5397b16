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

async function pageOfActivity(db: Db, where: SQL | undefined, page: number): Promise<Page<ActivityItem>> {
  const [items, [total]] = await Promise.all([
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
    db.select({ n: count() }).from(activity).where(where),
  ]);
  return { items, total: total?.n ?? 0, page, pageSize: PAGE_SIZE };
}

/** A project's membership activity, newest first, 50 a page; Project Admins and Organization Owners. */
export async function listActivity(db: Db, actor: Actor | null, input: { orgId: string; projectId: string; page?: number }): Promise<Page<ActivityItem>> {
  await authorizeProject(db, actor, input, "activity.view");
  return pageOfActivity(db, and(eq(activity.orgId, input.orgId), eq(activity.projectId, input.projectId)), pageNumber(input.page));
}

/** The whole organization's activity; Organization Owners only. */
export async function listOrganizationActivity(db: Db, actor: Actor | null, input: { orgId: string; page?: number }): Promise<Page<ActivityItem>> {
  await authorizeOrg(db, actor, input.orgId, "org.activity.view");
  return pageOfActivity(db, eq(activity.orgId, input.orgId), pageNumber(input.page));
}
