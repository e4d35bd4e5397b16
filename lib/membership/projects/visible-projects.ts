import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projectMemberships, projects } from "@/db/schema";
import { capProjectAccess, isUuid } from "../access";
import { canOnProject } from "../permissions";
import type { ProjectRole } from "../roles";
import type { Actor } from "../types";

export interface VisibleProject {
  id: string;
  name: string;
  /** The actor's role there, capped by its key's grant; null for an Owner who is not listed. */
  role: ProjectRole | null;
  isDefault: boolean;
}

/**
 * The projects of an organization the actor may see (only those in `among` when given), each with
 * the role the actor holds there, read fresh and capped by its API key the way the guard caps it:
 * a project key sees its granted projects where its creator may still see them, at the lower role.
 * Its callers have passed the guard, which refuses an organization id that is not a UUID.
 */
export async function visibleProjects(db: Db, actor: Actor, orgId: string, among?: readonly string[]): Promise<VisibleProject[]> {
  const key = actor.apiKey;
  const grant = key?.scope === "projects" ? Object.keys(key.projects) : undefined;
  const asked = among?.filter(isUuid);
  const wanted = grant ? (asked ?? grant).filter((id) => grant.includes(id)) : asked;
  if (wanted?.length === 0) return [];
  const rows = await db
    .select({
      id: projects.id,
      name: projects.name,
      isDefault: projects.isDefault,
      orgRole: organizationMemberships.role,
      projectRole: projectMemberships.role,
    })
    .from(projects)
    .innerJoin(
      organizationMemberships,
      and(eq(organizationMemberships.orgId, projects.orgId), eq(organizationMemberships.userId, actor.id)),
    )
    .leftJoin(projectMemberships, and(eq(projectMemberships.projectId, projects.id), eq(projectMemberships.userId, actor.id)))
    .where(and(eq(projects.orgId, orgId), wanted ? inArray(projects.id, wanted) : undefined))
    .orderBy(asc(projects.name), asc(projects.id));
  return rows.flatMap((r) => {
    const access = capProjectAccess(
      { org: { id: orgId, name: "" }, project: { id: r.id, name: r.name, orgId }, orgRole: r.orgRole, projectRole: r.projectRole },
      key,
    );
    return access && canOnProject(access, "project.view")
      ? [{ id: r.id, name: r.name, role: access.projectRole, isDefault: r.isDefault }]
      : [];
  });
}
