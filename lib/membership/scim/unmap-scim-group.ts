import "server-only";
import { and, eq } from "drizzle-orm";
import { projects, scimGroupProjectRoles } from "@/db/schema";
import { authorizeOrg, isUuid } from "../access";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { applyMappingChange, lockGroupToMap } from "./scim-group-store";

/**
 * Removes a group's mapping to a project (Organization Owners only): its members lose the role
 * only this group gave there (a direct role or another group's stays). Refused, nothing changed,
 * when the project would lose its last Project Admin.
 */
export const unmapScimGroup = transactionalVerb(
  async (tx, actor, input: { orgId: string; groupId: string; projectId: string }, now): Promise<{ removed: number }> => {
    await authorizeOrg(tx, actor, input.orgId, "org.scim.manage", { lock: true });
    const group = await lockGroupToMap(tx, input.orgId, input.groupId);
    const [gone] = isUuid(input.projectId)
      ? await tx
          .delete(scimGroupProjectRoles)
          .where(and(eq(scimGroupProjectRoles.groupId, group.id), eq(scimGroupProjectRoles.projectId, input.projectId)))
          .returning({ role: scimGroupProjectRoles.role })
      : [];
    if (!gone) throw new DomainError("CONFLICT", `The group ${group.displayName} is not mapped to this project.`);
    const [project] = await tx.select({ name: projects.name }).from(projects).where(eq(projects.id, input.projectId));
    const unmapped = {
      orgId: input.orgId,
      projectId: input.projectId,
      projectName: project?.name ?? null,
      action: "scim.group_unmapped" as const,
    };
    const roles = await applyMappingChange(tx, actor!, group, { ...unmapped, oldRole: gone.role }, now);
    return { removed: roles.filter((r) => r.action === "member.removed").length };
  },
);
