import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { authorizeInvitation, type InvitationScope, type OrgInvitationIds, type ProjectInvitationIds } from "./invitation-lookup";
import { describeRole } from "./invitation-payload";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";

/** Revokes a pending (or expired) invitation from a project's page; its link then says it was revoked. Repeating it is harmless. */
export async function revokeInvitation(
  db: Db,
  actor: Actor | null,
  input: ProjectInvitationIds,
  options: VerbOptions = {},
): Promise<{ status: "revoked" }> {
  return revokeIn(db, actor, { via: "project", ids: input }, options);
}

/** Revokes an invitation from the organization users page (Organization Owners). */
export async function revokeOrganizationInvitation(
  db: Db,
  actor: Actor | null,
  input: OrgInvitationIds,
  options: VerbOptions = {},
): Promise<{ status: "revoked" }> {
  return revokeIn(db, actor, { via: "organization", ids: input }, options);
}

async function revokeIn(db: Db, actor: Actor | null, scope: InvitationScope, options: VerbOptions): Promise<{ status: "revoked" }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { invitation, grants, projectId } = await authorizeInvitation(tx, actor, scope);
    if (invitation.status === "revoked") return { status: "revoked" as const };
    if (invitation.status === "accepted") {
      throw new DomainError(
        "CONFLICT",
        `${invitation.email} already accepted this invitation. Remove them from the collaborators instead.`,
      );
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
}
