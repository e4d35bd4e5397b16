import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import { authorizeProject } from "./access";
import { recordActivity } from "./activity-log";
import { DomainError } from "./errors";
import { lockProjectInvitation } from "./invitation-lookup";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

/** Revokes a pending (or expired) invitation; its link then says it was revoked. Repeating it is harmless. */
export async function revokeInvitation(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; invitationId: string },
  options: VerbOptions = {},
): Promise<{ status: "revoked" }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    await authorizeProject(tx, actor, input, "invitations.manage", { lock: true });
    const invitation = await lockProjectInvitation(tx, input);
    if (invitation.status === "revoked") return { status: "revoked" as const };
    if (invitation.status === "accepted") {
      throw new DomainError("CONFLICT", `${invitation.email} already accepted this invitation. Remove them from the collaborators instead.`);
    }
    if (invitation.status === "declined") throw new DomainError("CONFLICT", `${invitation.email} already declined this invitation.`);
    await tx.update(invitations).set({ status: "revoked", revokedAt: now }).where(eq(invitations.id, invitation.id));
    await cancelPendingEmails(tx, [invitation.id], "Cancelled: the invitation was revoked");
    await recordActivity(tx, actor!, [{ orgId: input.orgId, projectId: input.projectId, action: "invitation.revoked", targetEmail: invitation.email, oldRole: invitation.role }], now);
    return { status: "revoked" as const };
  });
}
