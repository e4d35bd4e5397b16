import "server-only";
import { invitations, organizationMemberships, projectMemberships } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { isProjectInvitation, loadGrants } from "./invitation-grants";
import { lockForInvitee } from "./invitee-lock";

/**
 * Accepts an invitation in one transaction: joins the organization with the invited role (if
 * not a member yet), adds every granted project role and marks it accepted. Accepting again is
 * harmless. Returns where to go: the project of a project invitation, else the organization.
 */
export const acceptInvitation = transactionalVerb(
  async (tx, actor, input: { token: string }, now): Promise<{ orgId: string; projectId: string | null }> => {
    const { invitation, isExpiredNow } = await lockForInvitee(tx, actor, input.token, now);
    const grants = (await loadGrants(tx, [invitation.id])).get(invitation.id) ?? [];
    const where = { orgId: invitation.orgId, projectId: isProjectInvitation(invitation.orgRole, grants) ? grants[0]!.projectId : null };
    if (invitation.status === "accepted") {
      if (invitation.acceptedById === actor!.id) return where;
      throw new DomainError("CONFLICT", "This invitation has already been accepted.");
    }
    if (invitation.status === "revoked")
      throw new DomainError("CONFLICT", "This invitation was revoked. Ask the person who invited you for a new one.");
    if (invitation.status === "declined")
      throw new DomainError("CONFLICT", "This invitation was declined. Ask the person who invited you for a new one.");
    if (isExpiredNow) throw new DomainError("EXPIRED", "This invitation has expired. Ask the person who invited you to resend it.");

    // Someone who joined meanwhile keeps their organization role; the invitation never lowers it.
    await tx
      .insert(organizationMemberships)
      .values({ orgId: invitation.orgId, userId: actor!.id, role: invitation.orgRole, createdAt: now })
      .onConflictDoNothing();
    if (invitation.orgRole === "owner") {
      await tx
        .update(organizationMemberships)
        .set({ role: "owner" })
        .where(and(eq(organizationMemberships.orgId, invitation.orgId), eq(organizationMemberships.userId, actor!.id)));
    }
    // Someone added to a project since the invitation keeps the role they were given.
    if (grants.length > 0) {
      await tx
        .insert(projectMemberships)
        .values(grants.map((g) => ({ orgId: invitation.orgId, projectId: g.projectId, userId: actor!.id, role: g.role, createdAt: now })))
        .onConflictDoNothing();
    }
    await tx
      .update(invitations)
      .set({ status: "accepted", acceptedAt: now, acceptedById: actor!.id })
      .where(eq(invitations.id, invitation.id));
    const log: ActivityEntry[] = isProjectInvitation(invitation.orgRole, grants)
      ? [
          {
            orgId: invitation.orgId,
            projectId: grants[0]!.projectId,
            action: "invitation.accepted",
            targetEmail: invitation.email,
            targetUserId: actor!.id,
            newRole: grants[0]!.role,
          },
        ]
      : [
          {
            orgId: invitation.orgId,
            action: "invitation.accepted",
            targetEmail: invitation.email,
            targetUserId: actor!.id,
            newRole: invitation.orgRole,
          },
          ...grants.map((g) => ({
            orgId: invitation.orgId,
            projectId: g.projectId,
            action: "member.added" as const,
            targetEmail: invitation.email,
            targetUserId: actor!.id,
            newRole: g.role,
          })),
        ];
    await recordActivity(tx, actor!, log, now);
    return where;
  },
);
