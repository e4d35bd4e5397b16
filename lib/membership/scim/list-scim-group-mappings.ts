import "server-only";
import { asc, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects, scimGroupMembers, scimGroupProjectRoles, scimGroups } from "@/db/schema";
import { authorizeOrg } from "../access";
import type { Actor } from "../types";
import type { ScimGroupMapping } from "./scim-group-rules";

export interface ScimGroupSummary {
  id: string;
  displayName: string;
  memberCount: number;
  mappings: ScimGroupMapping[];
}

/** The most groups the SSO page lists; identity providers push a handful, rarely hundreds. */
export const MAX_LISTED_GROUPS = 500;

/**
 * The organization's SCIM groups with their member counts and project role mappings, by name,
 * and the projects a group may be mapped to (Organization Owners only: the SSO page).
 */
export async function listScimGroupMappings(
  db: Db,
  actor: Actor | null,
  input: { orgId: string },
): Promise<{ groups: ScimGroupSummary[]; projects: { id: string; name: string }[] }> {
  await authorizeOrg(db, actor, input.orgId, "org.scim.manage");
  const groups = await db
    .select({ id: scimGroups.id, displayName: scimGroups.displayName })
    .from(scimGroups)
    .where(eq(scimGroups.orgId, input.orgId))
    .orderBy(asc(scimGroups.displayName), asc(scimGroups.id))
    .limit(MAX_LISTED_GROUPS);
  const counts = await db
    .select({ groupId: scimGroupMembers.groupId, n: count() })
    .from(scimGroupMembers)
    .where(eq(scimGroupMembers.orgId, input.orgId))
    .groupBy(scimGroupMembers.groupId);
  const mappings = await db
    .select({
      groupId: scimGroupProjectRoles.groupId,
      projectId: scimGroupProjectRoles.projectId,
      projectName: projects.name,
      role: scimGroupProjectRoles.role,
    })
    .from(scimGroupProjectRoles)
    .innerJoin(projects, eq(projects.id, scimGroupProjectRoles.projectId))
    .where(eq(scimGroupProjectRoles.orgId, input.orgId))
    .orderBy(asc(projects.name));
  const orgProjects = await db
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(eq(projects.orgId, input.orgId))
    .orderBy(asc(projects.name));
  const countOf = new Map(counts.map((c) => [c.groupId, c.n]));
  return {
    groups: groups.map((g) => ({
      ...g,
      memberCount: countOf.get(g.id) ?? 0,
      mappings: mappings.filter((m) => m.groupId === g.id).map(({ projectId, projectName, role }) => ({ projectId, projectName, role })),
    })),
    projects: orgProjects,
  };
}
