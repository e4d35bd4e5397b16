import { and, inArray, sql } from "drizzle-orm";
import { emailOutbox } from "@/db/schema";
import type { Db } from "@/db/client";
import type { EmailKind, EmailPayloads } from "./messages";
import { sealContext, sealLink } from "./sealed";

export interface OutboxMessage<K extends EmailKind = EmailKind> {
  to: string;
  kind: K;
  payload: EmailPayloads[K];
  invitationId?: string;
}

/**
 * Writes emails to the outbox. Call it with the transaction that makes the change, so the email
 * exists exactly when the change does; delivery happens after commit. The token-bearing link is
 * stored sealed (encrypted with the app secret) and scrubbed once the message is delivered.
 */
export async function enqueueEmails(tx: Db, messages: OutboxMessage[], now: Date = new Date()): Promise<string[]> {
  if (messages.length === 0) return [];
  const rows = await tx
    .insert(emailOutbox)
    .values(
      messages.map((m) => ({
        to: m.to,
        kind: m.kind,
        payload: { ...(m.payload as unknown as Record<string, unknown>), url: sealLink(m.payload.url, sealContext(m.kind, m.to)) },
        invitationId: m.invitationId ?? null,
        nextAttemptAt: now,
      })),
    )
    .returning({ id: emailOutbox.id });
  return rows.map((r) => r.id);
}

/**
 * Cancels an invitation's emails that have not gone out yet (a resend replaced them, or the
 * invitation was revoked), so a dead link is never delivered late. A row being sent right now is
 * marked cancelled too: a retry or a hand-back by its sender matches only "sending", so it cannot
 * revive it; but if the request already at the provider is accepted, the sender records it as
 * sent, because it was.
 */
export async function cancelPendingEmails(tx: Db, invitationIds: string[], reason: string): Promise<number> {
  if (invitationIds.length === 0) return 0;
  const cancelled = await tx
    .update(emailOutbox)
    .set({ status: "cancelled", lastError: reason, lockedUntil: null, payload: sql`${emailOutbox.payload} - 'url'` })
    .where(and(inArray(emailOutbox.invitationId, invitationIds), inArray(emailOutbox.status, ["pending", "sending"])))
    .returning({ id: emailOutbox.id });
  return cancelled.length;
}
