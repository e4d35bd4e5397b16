import { and, inArray, lt, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  apiIdempotencyKeys,
  emailOutbox,
  mailboxMessages,
  rateLimits,
  samlAssertionIds,
  sessions,
  ssoAttempts,
  verificationTokens,
} from "@/db/schema";

const DAY_MS = 24 * 3_600_000;

export interface PruneOptions {
  now?: Date;
  /** How long a finished outbox row keeps its payload (names, subjects) for the invitations list. */
  outboxPayloadRetentionMs?: number;
  /** How long the local mailbox keeps a message. */
  mailboxRetentionMs?: number;
}

export interface PruneResult {
  rateLimits: number;
  outboxPayloads: number;
  mailboxMessages: number;
  verificationTokens: number;
  sessions: number;
  /** Stored API answers past their 24 hours. */
  idempotencyKeys: number;
  /** Single sign-on attempts never answered within their ten minutes. */
  ssoAttempts: number;
  /** Accepted SAML assertion ids past their assertion's end of validity (it could not be replayed anyway). */
  samlAssertionIds: number;
}

/**
 * Deletes what no longer means anything, so no table grows forever: rate-limit windows that have
 * ended, old local-mailbox messages, expired sign-in tokens (used ones Auth.js deletes itself),
 * expired sessions, stored API answers past their 24 hours, unanswered SSO attempts and SAML
 * assertion ids past their validity. Finished outbox rows stay (they are the delivery record) but lose their
 * payload. Each statement is independent and idempotent, so several sweepers may prune at once.
 */
export async function pruneExpired(db: Db, options: PruneOptions = {}): Promise<PruneResult> {
  const now = options.now ?? new Date();
  const payloadBefore = new Date(now.getTime() - (options.outboxPayloadRetentionMs ?? 7 * DAY_MS));
  const mailboxBefore = new Date(now.getTime() - (options.mailboxRetentionMs ?? 7 * DAY_MS));
  const limits = await db.delete(rateLimits).where(lt(rateLimits.expiresAt, now)).returning({ key: rateLimits.key });
  const payloads = await db
    .update(emailOutbox)
    .set({ payload: {} })
    .where(
      and(
        inArray(emailOutbox.status, ["sent", "failed", "cancelled"]),
        lt(emailOutbox.createdAt, payloadBefore),
        ne(emailOutbox.payload, sql`'{}'::jsonb`),
      ),
    )
    .returning({ id: emailOutbox.id });
  const mailbox = await db
    .delete(mailboxMessages)
    .where(lt(mailboxMessages.createdAt, mailboxBefore))
    .returning({ id: mailboxMessages.id });
  const tokens = await db
    .delete(verificationTokens)
    .where(lt(verificationTokens.expires, now))
    .returning({ token: verificationTokens.token });
  const expired = await db.delete(sessions).where(lt(sessions.expires, now)).returning({ token: sessions.sessionToken });
  const answers = await db
    .delete(apiIdempotencyKeys)
    .where(lt(apiIdempotencyKeys.expiresAt, now))
    .returning({ key: apiIdempotencyKeys.key });
  const attempts = await db.delete(ssoAttempts).where(lt(ssoAttempts.expiresAt, now)).returning({ s: ssoAttempts.stateHash });
  const assertions = await db
    .delete(samlAssertionIds)
    .where(lt(samlAssertionIds.expiresAt, now))
    .returning({ id: samlAssertionIds.assertionId });
  return {
    ssoAttempts: attempts.length,
    samlAssertionIds: assertions.length,
    rateLimits: limits.length,
    outboxPayloads: payloads.length,
    mailboxMessages: mailbox.length,
    verificationTokens: tokens.length,
    sessions: expired.length,
    idempotencyKeys: answers.length,
  };
}
