import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { projectMemberships } from "@/db/schema";
import { authorizeProject } from "../access";
import { aboutMember, recordActivity } from "../activity/record-activity";
import { assertNotLastAdmin, findCollaborator } from "./collaborator-lookup";
import { notFound } from "../errors";
import type { ProjectRole, RoleChange } from "../roles";
import { assertProjectRole } from "../role-checks";
import { transactionalVerb } from "../verb";
import { higherRole } from "../scim/group-roles";

/** The collaborator whose project role changes, and the role they get. */
export interface ChangeRoleInput {
  orgId: string;
  projectId: string;
  userId: string;
  role: ProjectRole;
}

/** Gives a collaborator another project role, at once; never leaves the project without an admin. */
export const changeRole = transactionalVerb(async (tx, actor, input: ChangeRoleInput, now): Promise<RoleChange<ProjectRole>> => {
  assertProjectRole(input.role);
  await authorizeProject(tx, actor, input, "members.editRole", { lock: true });
  const target = await findCollaborator(tx, input.projectId, input.userId);
  if (!target) throw notFound("collaborator");
  // ── Issue 20 (SCIM groups): the console sets the direct role; the role that counts is the higher
  // of it and the group-given one, so a change of the direct role alone is still written, and
  // only a change that really ends someone's Project Admin is checked against the last admin.
  const [sources] = await tx
    .select({ directRole: projectMemberships.directRole, groupRole: projectMemberships.groupRole })
    .from(projectMemberships)
    .where(and(eq(projectMemberships.projectId, input.projectId), eq(projectMemberships.userId, target.userId)));
  const effective = higherRole(input.role, sources?.groupRole ?? null)!;
  if (target.role === input.role && sources?.directRole === input.role) return { oldRole: target.role, role: input.role };
  if (target.role === "admin" && effective !== "admin") {
    const isSelf = target.userId === actor!.id;
    await assertNotLastAdmin(
      tx,
      input.projectId,
      isSelf
        ? "You are the only Project Admin. Make another collaborator a Project Admin first."
        : `${target.email} is the only Project Admin. Make another collaborator a Project Admin first.`,
    );
  }
  await tx
    .update(projectMemberships)
    // The console sets the direct role; a SCIM group's role, when higher, still holds (issue 20).
    .set({ directRole: input.role, role: sql`least(${input.role}::project_role, ${projectMemberships.groupRole})` })
    .where(and(eq(projectMemberships.projectId, input.projectId), eq(projectMemberships.userId, target.userId)));
  await recordActivity(
    tx,
    actor!,
    [{ orgId: input.orgId, projectId: input.projectId, action: "member.role_changed", ...aboutMember(target), newRole: input.role }],
    now,
  );
  return { oldRole: target.role, role: input.role };
});
