import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { invitationProjectGrants, invitations, projectMemberships, projects, users } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import { authorizeProjectManagement } from "../access";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { DomainError } from "../errors";
import { isProjectInvitation, loadGrants } from "../invitations/invitation-grants";
import { lockOrgProject } from "./project-lookup";
import { transactionalVerb } from "../verb";

/** What deleting a project asks: the project, and its name typed again to confirm. */
export interface DeleteProjectInput {
  orgId: string;
  projectId: string;
  confirmName: string;
}

/**
 * Deletes a project (Organization Owners only; never the Default Project), confirmed by typing
 * its name. Its pending invitations are revoked and its collaborators removed, each recorded in
 * the organization's activity (the records keep the project's name).
 */
export const deleteProject = transactionalVerb(
  async (tx, actor, input: DeleteProjectInput, now): Promise<{ name: string; removed: number; revoked: number }> => {
    await authorizeProjectManagement(tx, actor, input);
    const project = await lockOrgProject(tx, input, { forDeletion: true });
    if (project.isDefault) throw new DomainError("CONFLICT", "The Default Project cannot be deleted.");
    if (typeof input.confirmName !== "string" || input.confirmName.trim() !== project.name) {
      throw new DomainError("INVALID", `Type the project's name, ${project.name}, to confirm.`, {
        confirmName: ["Does not match the project's name"],
      });
    }
    const collaborators = await tx
      .select({ userId: projectMemberships.userId, role: projectMemberships.role, email: users.email })
      .from(projectMemberships)
      .innerJoin(users, eq(users.id, projectMemberships.userId))
      .where(eq(projectMemberships.projectId, project.id));
    // Its project invitations are revoked; an organization invitation only loses this grant.
    const granting = await tx
      .select({ id: invitations.id, email: invitations.email, orgRole: invitations.orgRole, role: invitationProjectGrants.role })
      .from(invitationProjectGrants)
      .innerJoin(invitations, eq(invitations.id, invitationProjectGrants.invitationId))
      .where(and(eq(invitationProjectGrants.projectId, project.id), eq(invitations.status, "pending")))
      .for("update", { of: invitations });
    const grantsOf = await loadGrants(
      tx,
      granting.map((g) => g.id),
    );
    const revoked = granting.filter((g) => isProjectInvitation(g.orgRole, grantsOf.get(g.id) ?? [], project.id));
    const narrowed = granting.filter((g) => !revoked.includes(g));
    if (revoked.length > 0) {
      await tx
        .update(invitations)
        .set({ status: "revoked", revokedAt: now })
        .where(
          inArray(
            invitations.id,
            revoked.map((r) => r.id),
          ),
        );
      await cancelPendingEmails(
        tx,
        revoked.map((r) => r.id),
        "Cancelled: the project was deleted",
      );
    }
    await tx.delete(projects).where(eq(projects.id, project.id));
    const named = { orgId: input.orgId, projectId: null, projectName: project.name };
    const log: ActivityEntry[] = [
      ...revoked.map((r) => ({ ...named, action: "invitation.revoked" as const, targetEmail: r.email, oldRole: r.role })),
      ...narrowed.map((r) => ({ ...named, action: "invitation.grant_removed" as const, targetEmail: r.email, oldRole: r.role })),
      ...collaborators.map((c) => ({
        ...named,
        action: "member.removed" as const,
        targetEmail: c.email,
        targetUserId: c.userId,
        oldRole: c.role,
      })),
      { ...named, action: "project.deleted" },
    ];
    await recordActivity(tx, actor!, log, now);
    return { name: project.name, removed: collaborators.length, revoked: revoked.length };
  },
);
