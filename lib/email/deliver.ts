import { performance } from "node:perf_hooks";
import { and, asc, eq, inArray, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/db/client";
import { emailOutbox, type EmailKind } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { retryDelayMs } from "@/lib/jobs/backoff";
import { SECRET_PAYLOAD_FIELDS } from "./messages";
import { InvalidPayloadError } from "./payload-schemas";
import { renderStoredEmail } from "./render";
import { openLink, sealContext } from "./sealed";
import { DeliveryError, type Transport } from "./transport";

// With backoff capped at an hour, 60 attempts keep trying for a little over two days: longer than
// an invitation lives, so a provider outage short of that loses nothing.
export const DEFAULT_MAX_ATTEMPTS = 60;
export const DEFAULT_LOCK_MS = 60_000;
const DEFAULT_LIMIT = 50;
const DEFAULT_CONCURRENCY = 4;
const MAX_RETRY_MS = 3_600_000;
const MAX_ERROR_LENGTH = 1_000;

export interface DeliverOptions {
  /** The clock; tests inject one. Claims, backoff and sent_at all use it. */
  now?: Date;
  /** Rows claimed per call. */
  limit?: number;
  /** Attempts before a message is marked failed. */
  maxAttempts?: number;
  /** Sender address; defaults to EMAIL_FROM. */
  from?: string;
  /** How long a claim lasts before another sender may take the row over. */
  lockMs?: number;
  /** Messages of one batch in flight at once. */
  concurrency?: number;
  /** Read before each message: once true, the rest of the batch is handed back untried (a worker draining on SIGTERM). */
  stopping?: () => boolean;
  logger?: Pick<Console, "error" | "warn">;
}

export interface DeliverResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
  /** Claimed but handed back untried: the claim was running out, the provider rate-limited this batch, or the sender is stopping. */
  released: number;
  /** Rows whose outcome could not be recorded (database error); their claim lapses and they retry. */
  errors: number;
}

export interface ClaimedEmail {
  id: string;
  to: string;
  kind: EmailKind;
  payload: Record<string, unknown>;
  /** Including this attempt. Also identifies this claim: a later claim increments it. */
  attempts: number;
}

/**
 * Claims due rows for this sender and commits the claim at once: pending rows whose time has
 * come, and rows a crashed sender left in "sending" after its claim lapsed.
 */
export async function claimDue(db: Db, options: { now: Date; limit: number; lockMs?: number; ids?: string[] }): Promise<ClaimedEmail[]> {
  const { now, limit } = options;
  const due = or(
    and(eq(emailOutbox.status, "pending"), lte(emailOutbox.nextAttemptAt, now)),
    and(eq(emailOutbox.status, "sending"), lt(emailOutbox.lockedUntil, now)),
  );
  const where = options.ids ? and(inArray(emailOutbox.id, options.ids), due) : due;
  // SKIP LOCKED: concurrent senders each take different rows instead of queueing on the same
  // ones; a row another sender claimed and committed meanwhile no longer matches `due`.
  const candidates = db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(where)
    .orderBy(asc(emailOutbox.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(emailOutbox)
    .set({
      status: "sending",
      lockedUntil: new Date(now.getTime() + (options.lockMs ?? DEFAULT_LOCK_MS)),
      attempts: sql`${emailOutbox.attempts} + 1`,
    })
    .where(inArray(emailOutbox.id, candidates))
    .returning({
      id: emailOutbox.id,
      to: emailOutbox.to,
      kind: emailOutbox.kind,
      payload: emailOutbox.payload,
      attempts: emailOutbox.attempts,
    });
}

/**
 * Delivers every due message (up to `limit`): claim, render, send, record. No transaction is
 * open while a message is being sent.
 */
export async function deliverDue(db: Db, transport: Transport, options: DeliverOptions = {}): Promise<DeliverResult> {
  const now = options.now ?? new Date();
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
  const rows = await claimDue(db, { now, limit: options.limit ?? DEFAULT_LIMIT, lockMs });
  return processClaimed(db, transport, rows, { ...options, now, lockMs });
}

/**
 * Delivers the given outbox rows now, if they are due and nobody else holds them. Call it after
 * the enqueuing transaction commits, never inside it (PGlite would wait for itself).
 */
export async function deliverIds(db: Db, transport: Transport, ids: string[], options: DeliverOptions = {}): Promise<DeliverResult> {
  if (ids.length === 0) return emptyResult();
  const now = options.now ?? new Date();
  const lockMs = options.lockMs ?? DEFAULT_LOCK_MS;
  const rows = await claimDue(db, { now, limit: ids.length, lockMs, ids });
  return processClaimed(db, transport, rows, { ...options, now, lockMs });
}

export { retryDelayMs };

type Outcome = "sent" | "retrying" | "failed" | "released" | "errors";

async function processClaimed(
  db: Db,
  transport: Transport,
  rows: ClaimedEmail[],
  options: DeliverOptions & { now: Date; lockMs: number },
): Promise<DeliverResult> {
  const result = emptyResult();
  result.claimed = rows.length;
  if (rows.length === 0) return result;
  const from = options.from ?? getEnv().EMAIL_FROM;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const logger = options.logger ?? console;
  // Measured on the monotonic clock, not `now`, which tests freeze: what matters is real time
  // spent while the claim ticks. Past half the claim, a send (bounded by the transport's timeout)
  // might still be running when another sender takes the row over.
  const claimedAt = performance.now();
  const sendDeadline = claimedAt + options.lockMs / 2;

  // Set by the first 429 of this batch: the limit is per API key, so the rest of the batch
  // would only collect 429s too and use up their attempts.
  let rateLimitedUntil: Date | null = null;

  const handle = async (row: ClaimedEmail): Promise<Outcome> => {
    const claim = and(eq(emailOutbox.id, row.id), eq(emailOutbox.status, "sending"), eq(emailOutbox.attempts, row.attempts));
    if (performance.now() > sendDeadline || rateLimitedUntil || options.stopping?.()) {
      // Handed back untried, so this claim does not count as an attempt.
      await db
        .update(emailOutbox)
        .set({
          status: "pending",
          lockedUntil: null,
          attempts: sql`${emailOutbox.attempts} - 1`,
          ...(rateLimitedUntil ? { nextAttemptAt: rateLimitedUntil } : {}),
        })
        .where(claim);
      return "released";
    }
    if (row.attempts > maxAttempts) {
      // Only reachable when a sender died during the last allowed attempt.
      await markFailed(db, claim, `Gave up after ${maxAttempts} attempts (the last one was interrupted)`);
      return "failed";
    }
    const expiresAt = typeof row.payload.expiresAt === "string" ? Date.parse(row.payload.expiresAt) : NaN;
    if (expiresAt <= options.now.getTime()) {
      // A sign-in link or invitation that expired while queued would only confuse its reader.
      await markFailed(db, claim, "Expired before it could be delivered");
      return "failed";
    }
    let payload: Record<string, unknown>;
    try {
      payload =
        typeof row.payload.url === "string"
          ? { ...row.payload, url: openLink(row.payload.url, sealContext(row.kind, row.to)) }
          : row.payload;
    } catch (err) {
      // Most likely a sender started with another AUTH_SECRET: keep the message for one that has
      // the right secret instead of losing the link.
      await db
        .update(emailOutbox)
        .set({
          status: "pending",
          lockedUntil: null,
          nextAttemptAt: new Date(options.now.getTime() + MAX_RETRY_MS),
          lastError: truncate(errorMessage(err)),
        })
        .where(claim);
      logger.error(`[email] outbox ${row.id}: ${errorMessage(err)}`);
      return "retrying";
    }
    let rendered;
    try {
      rendered = await renderStoredEmail(row.kind, payload, { now: options.now });
    } catch (err) {
      // A template or payload bug: the same input will fail the same way on every retry.
      const message = err instanceof InvalidPayloadError ? err.message : `Rendering failed: ${errorMessage(err)}`;
      await markFailed(db, claim, message);
      return "failed";
    }
    try {
      const { providerMessageId } = await transport.send({ id: row.id, to: row.to, from, ...rendered });
      // The provider accepted it: it is sent, even if it was cancelled while in flight. Its send
      // time is its own, not the start of the batch.
      const sentAt = new Date(options.now.getTime() + Math.max(0, Math.round(performance.now() - claimedAt)));
      await db
        .update(emailOutbox)
        .set({
          status: "sent",
          sentAt,
          provider: transport.name,
          providerMessageId,
          payload: scrubbedPayload(),
          lastError: null,
          lockedUntil: null,
        })
        .where(
          and(eq(emailOutbox.id, row.id), eq(emailOutbox.attempts, row.attempts), inArray(emailOutbox.status, ["sending", "cancelled"])),
        );
      return "sent";
    } catch (err) {
      // Anything but a DeliveryError is unexpected (a transport bug, a lost connection): retry it.
      const retryable = err instanceof DeliveryError ? err.retryable : true;
      const message = errorMessage(err);
      if (!retryable) {
        await markFailed(db, claim, message);
        return "failed";
      }
      if (row.attempts >= maxAttempts) {
        await markFailed(db, claim, `Gave up after ${row.attempts} attempts: ${message}`);
        return "failed";
      }
      const retryAfter = err instanceof DeliveryError ? (err.retryAfterMs ?? 0) : 0;
      if (err instanceof DeliveryError && err.status === 429) {
        rateLimitedUntil = new Date(options.now.getTime() + Math.min(MAX_RETRY_MS, Math.max(retryAfter, 1_000)));
      }
      const delay = Math.min(MAX_RETRY_MS, Math.max(retryDelayMs(row.attempts), retryAfter));
      await db
        .update(emailOutbox)
        .set({
          status: "pending",
          nextAttemptAt: new Date(options.now.getTime() + delay),
          lastError: truncate(message),
          lockedUntil: null,
          provider: transport.name,
        })
        .where(claim);
      return "retrying";
    }
  };

  let next = 0;
  const worker = async () => {
    for (let row = rows[next++]; row; row = rows[next++]) {
      let outcome: Outcome;
      try {
        outcome = await handle(row);
      } catch (err) {
        // The outcome could not be written. The row stays claimed until its lock lapses, then it
        // is retried; the provider's idempotency key keeps a message already sent from repeating.
        logger.error(`[email] could not record the outcome for outbox ${row.id}:`, errorMessage(err));
        outcome = "errors";
      }
      result[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? DEFAULT_CONCURRENCY, rows.length) }, worker));
  return result;
}

async function markFailed(db: Db, claim: SQL | undefined, message: string): Promise<void> {
  await db
    .update(emailOutbox)
    .set({ status: "failed", lastError: truncate(message), lockedUntil: null, payload: scrubbedPayload() })
    .where(claim);
}

/** The stored payload minus its secrets (the token-bearing link), computed in SQL. */
function scrubbedPayload(): SQL {
  return SECRET_PAYLOAD_FIELDS.reduce<SQL>((acc, field) => sql`(${acc} - ${field}::text)`, sql`${emailOutbox.payload}`);
}

function emptyResult(): DeliverResult {
  return { claimed: 0, sent: 0, retrying: 0, failed: 0, released: 0, errors: 0 };
}

// errorText keeps a failed query's values (the rendered email, with its link) out of last_error and the log.
function errorMessage(err: unknown): string {
  return errorText(err);
}

function truncate(s: string): string {
  return s.length > MAX_ERROR_LENGTH ? `${s.slice(0, MAX_ERROR_LENGTH - 1)}…` : s;
}
