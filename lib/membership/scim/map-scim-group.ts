import "server-only";
import { and, eq } from "drizzle-orm";
import { projects, scimGroupProjectRoles } from "@/db/schema";
import { authorizeOrg, isUuid } from "../access";
import { notFound } from "../errors";
import type { ProjectRole } from "../roles";
import { assertProjectRole } from "../role-checks";
import { transactionalVerb } from "../verb";
import { applyMappingChange, lockGroupToMap } from "./scim-group-store";

/** Which group is mapped to which project, and the role its members hold there at least. */
export interface MapScimGroupInput {
  orgId: string;
  groupId: string;
  projectId: string;
  role: ProjectRole;
}

/**
 * Maps a SCIM group to a role on a project (Organization Owners only): every member of the group
 * in the organization holds at least that role there, at once; a mapping of the same project is
 * replaced. Lowering a mapping never takes a project's last Project Admin (refused, nothing changed).
 */
export const mapScimGroup = transactionalVerb(
  async (tx, actor, input: MapScimGroupInput, now): Promise<{ role: ProjectRole; changed: number }> => {
    assertProjectRole(input.role);
    await authorizeOrg(tx, actor, input.orgId, "org.scim.manage", { lock: true });
    const group = await lockGroupToMap(tx, input.orgId, input.groupId);
    const [project] = isUuid(input.projectId)
      ? await tx
          .select({ id: projects.id, name: projects.name })
          .from(projects)
          .where(and(eq(projects.id, input.projectId), eq(projects.orgId, input.orgId)))
      : [];
    if (!project) throw notFound();
    const [before] = await tx
      .select({ role: scimGroupProjectRoles.role })
      .from(scimGroupProjectRoles)
      .where(and(eq(scimGroupProjectRoles.groupId, group.id), eq(scimGroupProjectRoles.projectId, project.id)));
    if (before?.role === input.role) return { role: input.role, changed: 0 };
    await tx
      .insert(scimGroupProjectRoles)
      .values({ groupId: group.id, orgId: input.orgId, projectId: project.id, role: input.role })
      .onConflictDoUpdate({ target: [scimGroupProjectRoles.groupId, scimGroupProjectRoles.projectId], set: { role: input.role } });
    const mapped = { orgId: input.orgId, projectId: project.id, projectName: project.name, action: "scim.group_mapped" as const };
    const roles = await applyMappingChange(tx, actor!, group, { ...mapped, oldRole: before?.role ?? null, newRole: input.role }, now);
    return { role: input.role, changed: roles.length };
  },
);
