import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { cancelPendingEmails, enqueueEmails } from "@/lib/email/outbox";
import { authorizeProject } from "./access";
import { recordActivity } from "./activity-log";
import { emailLimitsFromEnv, reserveEmail, type EmailLimits } from "./email-limits";
import { DomainError } from "./errors";
import { invitationExpiry, resendWaitSeconds } from "./invitation-rules";
import { lockProjectInvitation } from "./invitation-lookup";
import { invitationUrl } from "./links";
import { roleLabel } from "./roles";
import { generateInvitationToken } from "./tokens";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

/**
 * Sends a pending or expired invitation again with a new token and a new 48-hour window; the old
 * link stops working. At most once a minute per invitation.
 */
export async function resendInvitation(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; invitationId: string },
  options: VerbOptions & { baseUrl?: string; limits?: EmailLimits } = {},
): Promise<{ expiresAt: Date }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const access = await authorizeProject(tx, actor, input, "invitations.manage", { lock: true });
    const invitation = await lockProjectInvitation(tx, input);
    if (invitation.status !== "pending") {
      throw new DomainError("CONFLICT", `This invitation was ${invitation.status}, so it cannot be resent. Invite ${invitation.email} again instead.`);
    }
    const wait = resendWaitSeconds(invitation.lastSentAt, now);
    if (wait > 0) throw new DomainError("RATE_LIMITED", `This invitation was just sent. You can resend it in ${wait} seconds.`);
    // A resend is one more email to the same inbox: it counts like an invitation.
    const verdict = await reserveEmail(tx, { to: invitation.email, inviterId: actor!.id, orgId: input.orgId }, options.limits ?? emailLimitsFromEnv(), now);
    if (!verdict.ok) throw new DomainError("RATE_LIMITED", verdict.reason);
    await cancelPendingEmails(tx, [invitation.id], "Cancelled: a newer invitation email replaced it");
    const { token, tokenHash } = generateInvitationToken();
    const expiresAt = invitationExpiry(now);
    await tx
      .update(invitations)
      .set({ tokenHash, expiresAt, lastSentAt: now, resendCount: sql`${invitations.resendCount} + 1` })
      .where(eq(invitations.id, invitation.id));
    await enqueueEmails(
      tx,
      [
        {
          to: invitation.email,
          kind: "invitation",
          invitationId: invitation.id,
          payload: {
            url: invitationUrl(token, options.baseUrl),
            inviterName: actor!.name || actor!.email,
            inviterEmail: actor!.email,
            organizationName: access.org.name,
            projectName: access.project.name,
            roleLabel: roleLabel(invitation.role),
            expiresAt: expiresAt.toISOString(),
          },
        },
      ],
      now,
    );
    await recordActivity(tx, actor!, [{ orgId: input.orgId, projectId: input.projectId, action: "invitation.resent", targetEmail: invitation.email, newRole: invitation.role }], now);
    return { expiresAt };
  });
}
