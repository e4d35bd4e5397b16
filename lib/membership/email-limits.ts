import { and, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { consumeRateLimit, retryInWords } from "@/lib/rate-limit";

/** How many invitation and "added" emails may go out per window, and to whom. */
export interface EmailLimits {
  /** Per recipient address (case and +tag folded), across every organization and project. */
  perRecipient: number;
  /** Per person sending invitations or adding collaborators. */
  perInviter: number;
  /** Per organization. */
  perOrganization: number;
  windowMs: number;
}

/** The limits from the environment (EMAIL_LIMIT_*). */
export function emailLimitsFromEnv(): EmailLimits {
  const env = getEnv();
  return {
    perRecipient: env.EMAIL_LIMIT_PER_RECIPIENT,
    perInviter: env.EMAIL_LIMIT_PER_INVITER,
    perOrganization: env.EMAIL_LIMIT_PER_ORGANIZATION,
    windowMs: env.EMAIL_LIMIT_WINDOW_MINUTES * 60_000,
  };
}

/**
 * The inbox an address reaches, for counting: lower-cased, with a `+tag` dropped, so
 * `Ann+1@x.com` and `ann+2@x.com` share one limit. Never used to send.
 */
export function inboxKey(email: string): string {
  const normalized = email.trim().toLowerCase();
  const at = normalized.lastIndexOf("@");
  if (at <= 0) return normalized;
  const local = normalized.slice(0, at);
  const plus = local.indexOf("+");
  return `${plus > 0 ? local.slice(0, plus) : local}${normalized.slice(at)}`;
}

export type EmailReservation = { ok: true } | { ok: false; retryAfterSeconds: number; reason: string };

/** A reservation refused by a limit; thrown inside the savepoint so its counts roll back. */
class Refused extends Error {
  constructor(readonly verdict: Extract<EmailReservation, { ok: false }>) {
    super(verdict.reason);
  }
}

/**
 * Counts one email to `to` against every limit, all or nothing: inside a savepoint of the caller's
 * transaction, so a refusal by one limit (or a rollback of the change itself) takes back the
 * counts of the others. `extraKeys` are counted too (e.g. one "added" notice per person and
 * project and window).
 */
export async function reserveEmail(
  tx: Db,
  input: { to: string; inviterId: string; orgId: string; extraKeys?: { key: string; limit: number; reason: string }[] },
  limits: EmailLimits,
  now: Date,
): Promise<EmailReservation> {
  const inbox = inboxKey(input.to);
  const checks = [
    ...(input.extraKeys ?? []),
    { key: `email:to:${inbox}`, limit: limits.perRecipient, reason: `${input.to} was sent ${limits.perRecipient} invitations or notices recently` },
    { key: `email:by:${input.inviterId}`, limit: limits.perInviter, reason: `You sent ${limits.perInviter} invitations or notices recently` },
    { key: `email:org:${input.orgId}`, limit: limits.perOrganization, reason: `This organization sent ${limits.perOrganization} invitations or notices recently` },
  ];
  try {
    await tx.transaction(async (sp) => {
      for (const check of checks) {
        const verdict = await consumeRateLimit(sp as unknown as Db, check.key, check.limit, limits.windowMs, now);
        if (!verdict.allowed) {
          throw new Refused({
            ok: false,
            retryAfterSeconds: verdict.retryAfterSeconds,
            reason: `${check.reason}. Try again ${retryInWords(verdict.retryAfterSeconds)}.`,
          });
        }
      }
    });
    return { ok: true };
  } catch (err) {
    if (err instanceof Refused) return err.verdict;
    throw err;
  }
}

/** Whether an "added to project" notice already went to this inbox for this project in the window. */
export function addedNoticeKey(projectId: string, email: string): string {
  return `email:added:${projectId}:${inboxKey(email)}`;
}

/** Whether `key` was already counted in the current window (read only; the caller holds the project lock). */
export async function usedInWindow(tx: Db, key: string, windowMs: number, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), gt(rateLimits.windowStart, new Date(now.getTime() - windowMs))));
  return (row?.count ?? 0) > 0;
}

/**
 * Reserves one invitation email for each address, in sorted order (so concurrent batches take the
 * limit rows in the same order), and keeps in `addresses` only those allowed; each refused one is
 * handed to `refuse` with its verdict.
 */
export async function keepWithinEmailLimits(
  tx: Db,
  addresses: string[],
  sender: { inviterId: string; orgId: string },
  limits: EmailLimits,
  now: Date,
  refuse: (email: string, verdict: Extract<EmailReservation, { ok: false }>) => void,
): Promise<void> {
  const allowed = new Set<string>();
  for (const email of [...addresses].sort()) {
    const verdict = await reserveEmail(tx, { to: email, ...sender }, limits, now);
    if (verdict.ok) allowed.add(email);
    else refuse(email, verdict);
  }
  addresses.splice(0, addresses.length, ...addresses.filter((e) => allowed.has(e)));
}
