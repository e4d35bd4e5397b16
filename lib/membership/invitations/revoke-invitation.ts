import "server-only";
import { eq } from "drizzle-orm";
import { invitations } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { authorizeInvitation, scopedInvitationVerb, type InvitationScope } from "./invitation-lookup";
import { describeRole } from "./invitation-payload";
import { transactionalVerb } from "../verb";

const revoke = transactionalVerb(async (tx, actor, scope: InvitationScope, now): Promise<{ status: "revoked" }> => {
  const { invitation, grants, projectId } = await authorizeInvitation(tx, actor, scope);
  if (invitation.status === "revoked") return { status: "revoked" as const };
  if (invitation.status === "accepted") {
    throw new DomainError("CONFLICT", `${invitation.email} already accepted this invitation. Remove them from the collaborators instead.`);
  }
  if (invitation.status === "declined") throw new DomainError("CONFLICT", `${invitation.email} already declined this invitation.`);
  await tx.update(invitations).set({ status: "revoked", revokedAt: now }).where(eq(invitations.id, invitation.id));
  await cancelPendingEmails(tx, [invitation.id], "Cancelled: the invitation was revoked");
  await recordActivity(
    tx,
    actor!,
    [
      {
        orgId: invitation.orgId,
        projectId,
        action: "invitation.revoked",
        targetEmail: invitation.email,
        oldRole: describeRole(invitation.orgRole, grants, projectId ?? undefined),
      },
    ],
    now,
  );
  return { status: "revoked" as const };
});

/** Revokes a pending (or expired) invitation from a project's page; its link then says it was revoked. Repeating it is harmless. */
export const revokeInvitation = scopedInvitationVerb("project", revoke);

/** Revokes an invitation from the organization users page (Organization Owners). */
export const revokeOrganizationInvitation = scopedInvitationVerb("organization", revoke);
