import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { cancelPendingEmails, enqueueEmails } from "@/lib/email/outbox";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { emailLimitsFromEnv, reserveEmail, type EmailLimits } from "../email-limits";
import { authorizeInvitation, type InvitationScope } from "./invitation-lookup";
import { describeRole, invitationPayload } from "./invitation-payload";
import { invitationExpiry, resendWaitSeconds } from "./invitation-rules";
import { invitationUrl } from "../links";
import { generateInvitationToken } from "../tokens";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";

/**
 * Issues a pending (or expired) invitation a new token and a new 48-hour window; the old link
 * stops working and its undelivered emails are cancelled. By email (resend, at most once a
 * minute) or as a link shown once to the inviter (copy link, which sends nothing).
 */
export async function reissueInvitation(
  db: Db,
  actor: Actor | null,
  scope: InvitationScope,
  how: "email" | "link",
  options: VerbOptions & { baseUrl?: string; limits?: EmailLimits } = {},
): Promise<{ expiresAt: Date; url: string | null }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { org, invitation, grants, projectId } = await authorizeInvitation(tx, actor, scope);
    if (invitation.status !== "pending") {
      const verb = how === "email" ? "resent" : "given a new link";
      throw new DomainError(
        "CONFLICT",
        `This invitation was ${invitation.status}, so it cannot be ${verb}. Invite ${invitation.email} again instead.`,
      );
    }
    if (how === "email") {
      const wait = resendWaitSeconds(invitation.lastSentAt, now);
      if (wait > 0)
        throw new DomainError("RATE_LIMITED", `This invitation was just sent. You can resend it in ${wait} seconds.`, undefined, wait);
      // A resend is one more email to the same inbox: it counts like an invitation.
      const verdict = await reserveEmail(
        tx,
        { to: invitation.email, inviterId: actor!.id, orgId: invitation.orgId },
        options.limits ?? emailLimitsFromEnv(),
        now,
      );
      if (!verdict.ok) throw new DomainError("RATE_LIMITED", verdict.reason, undefined, verdict.retryAfterSeconds);
    }
    await cancelPendingEmails(
      tx,
      [invitation.id],
      how === "email" ? "Cancelled: a newer invitation email replaced it" : "Cancelled: a copied link replaced it",
    );
    const { token, tokenHash } = generateInvitationToken();
    const expiresAt = invitationExpiry(now);
    const url = invitationUrl(token, options.baseUrl);
    await tx
      .update(invitations)
      .set(
        how === "email"
          ? { tokenHash, expiresAt, lastSentAt: now, resendCount: sql`${invitations.resendCount} + 1` }
          : { tokenHash, expiresAt },
      )
      .where(eq(invitations.id, invitation.id));
    if (how === "email") {
      await enqueueEmails(
        tx,
        [
          {
            to: invitation.email,
            kind: "invitation",
            invitationId: invitation.id,
            payload: invitationPayload(actor!, org.name, invitation.orgRole, grants, url, expiresAt),
          },
        ],
        now,
      );
    }
    await recordActivity(
      tx,
      actor!,
      [
        {
          orgId: invitation.orgId,
          projectId,
          action: how === "email" ? "invitation.resent" : "invitation.link_copied",
          targetEmail: invitation.email,
          newRole: describeRole(invitation.orgRole, grants, projectId ?? undefined),
        },
      ],
      now,
    );
    // The raw token leaves the server only here, once, for the inviter to copy.
    return { expiresAt, url: how === "link" ? url : null };
  });
}
