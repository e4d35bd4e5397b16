import { emailOutbox } from "@/db/schema";
import type { Db } from "@/db/client";
import type { EmailKind, EmailPayloads } from "./messages";
import { sealLink } from "./sealed";

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
        payload: { ...(m.payload as unknown as Record<string, unknown>), url: sealLink(m.payload.url) },
        invitationId: m.invitationId ?? null,
        nextAttemptAt: now,
      })),
    )
    .returning({ id: emailOutbox.id });
  return rows.map((r) => r.id);
}
