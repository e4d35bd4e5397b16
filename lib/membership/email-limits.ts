import "server-only";
import { and, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { retryInWords } from "@/lib/rate-limit";

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

/** One email to count: its recipient, and any further keys it counts against (limit and reason each). */
export interface EmailRequest {
  to: string;
  extraKeys?: { key: string; limit: number; reason: string }[];
}

interface Check {
  key: string;
  limit: number;
  reason: string;
}

const organizationKey = (orgId: string) => `email:org:${orgId}`;

function checksFor(
  request: EmailRequest,
  sender: { inviterId: string; orgId: string },
  limits: EmailLimits,
  withOrganization: boolean,
): Check[] {
  return [
    ...(request.extraKeys ?? []),
    {
      key: `email:to:${inboxKey(request.to)}`,
      limit: limits.perRecipient,
      reason: `${request.to} was sent ${limits.perRecipient} invitations or notices recently`,
    },
    {
      key: `email:by:${sender.inviterId}`,
      limit: limits.perInviter,
      reason: `You sent ${limits.perInviter} invitations or notices recently`,
    },
    ...(withOrganization
      ? [
          {
            key: organizationKey(sender.orgId),
            limit: limits.perOrganization,
            reason: `This organization sent ${limits.perOrganization} invitations or notices recently`,
          },
        ]
      : []),
  ];
}

/** Adds each key's demand to its counter (a new window when the old one is over); the rows stay locked to commit. */
async function claim(tx: Db, demand: Map<string, number>, limits: EmailLimits, now: Date) {
  const keys = [...demand.keys()].sort();
  const floor = new Date(now.getTime() - limits.windowMs);
  const expiresAt = new Date(now.getTime() + limits.windowMs);
  const fresh = sql`${rateLimits.windowStart} <= ${floor}`;
  return tx
    .insert(rateLimits)
    .values(keys.map((key) => ({ key, windowStart: now, count: demand.get(key)!, expiresAt })))
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${fresh} then excluded.count else ${rateLimits.count} + excluded.count end`,
        windowStart: sql`case when ${fresh} then excluded.window_start else ${rateLimits.windowStart} end`,
        expiresAt: sql`case when ${fresh} then excluded.expires_at else ${rateLimits.expiresAt} end`,
      },
    })
    .returning({ key: rateLimits.key, count: rateLimits.count, windowStart: rateLimits.windowStart });
}

/**
 * Counts `emails` against the organization's counter at the end of a transaction that reserved
 * them without it (`reserveEmails` with `organization: false`); false when that passes its limit
 * (the caller then runs again with the counter taken first, for exact verdicts).
 */
export async function claimOrganizationEmails(tx: Db, orgId: string, emails: number, limits: EmailLimits, now: Date): Promise<boolean> {
  if (emails === 0) return true;
  const [row] = await claim(tx, new Map([[organizationKey(orgId), emails]]), limits, now);
  return row!.count <= limits.perOrganization;
}

/**
 * Counts one email for each request against every limit, with the verdicts that counting them one
 * after another in address order would give, all or nothing per email: a refusal by one limit
 * counts nothing against the others. Two statements whatever the batch size: one upsert claims the
 * whole demand on every key (locking the rows in key order, the same order for every caller, so
 * concurrent batches cannot deadlock), then the part of the claim that was refused is handed back.
 * The rows stay locked until the caller's transaction ends, so nobody sees the claim in between.
 * `organization: false` leaves out the organization's counter, which every invite of the
 * organization shares: the caller claims it last, with `claimOrganizationEmails`.
 */
export async function reserveEmails(
  tx: Db,
  requests: readonly EmailRequest[],
  sender: { inviterId: string; orgId: string },
  limits: EmailLimits,
  now: Date,
  options: { organization?: boolean } = {},
): Promise<Map<string, EmailReservation>> {
  const verdicts = new Map<string, EmailReservation>();
  if (requests.length === 0) return verdicts;
  const ordered = [...requests].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const checks = ordered.map((r) => checksFor(r, sender, limits, options.organization ?? true));
  const demand = new Map<string, number>();
  for (const c of checks.flat()) demand.set(c.key, (demand.get(c.key) ?? 0) + 1);
  const keys = [...demand.keys()].sort();
  const rows = await claim(tx, demand, limits, now);

  // What each key had before this batch, so how much it may still take.
  const limitOf = new Map(checks.flat().map((c) => [c.key, c.limit]));
  const room = new Map<string, number>();
  const retryAfter = new Map<string, number>();
  for (const row of rows) {
    const before = row.count - demand.get(row.key)!;
    room.set(row.key, Math.max(0, limitOf.get(row.key)! - before));
    retryAfter.set(row.key, Math.max(1, Math.ceil((row.windowStart.getTime() + limits.windowMs - now.getTime()) / 1000)));
  }

  const taken = new Map<string, number>();
  ordered.forEach((request, i) => {
    const own = checks[i]!;
    const full = own.find((c) => room.get(c.key)! <= 0);
    if (full) {
      const seconds = retryAfter.get(full.key)!;
      verdicts.set(request.to, { ok: false, retryAfterSeconds: seconds, reason: `${full.reason}. Try again ${retryInWords(seconds)}.` });
      return;
    }
    for (const c of own) {
      room.set(c.key, room.get(c.key)! - 1);
      taken.set(c.key, (taken.get(c.key) ?? 0) + 1);
    }
    verdicts.set(request.to, { ok: true });
  });

  const unused = keys.map((key) => ({ key, back: demand.get(key)! - (taken.get(key) ?? 0) })).filter((k) => k.back > 0);
  if (unused.length > 0) {
    const list = sql.join(
      unused.map((u) => sql`(${u.key}::text, ${u.back}::int)`),
      sql`, `,
    );
    await tx.execute(
      sql`update ${rateLimits} set count = ${rateLimits.count} - back.n from (values ${list}) as back(key, n) where ${rateLimits.key} = back.key`,
    );
  }
  return verdicts;
}

/** Counts one email against every limit (see reserveEmails). */
export async function reserveEmail(
  tx: Db,
  input: EmailRequest & { inviterId: string; orgId: string },
  limits: EmailLimits,
  now: Date,
): Promise<EmailReservation> {
  const verdicts = await reserveEmails(tx, [input], { inviterId: input.inviterId, orgId: input.orgId }, limits, now);
  return verdicts.get(input.to)!;
}

/** Whether an "added to project" notice already went to this inbox for this project in the window. */
export function addedNoticeKey(projectId: string, email: string): string {
  return `email:added:${projectId}:${inboxKey(email)}`;
}

/** The keys among `keys` already counted in the current window (read only; callers hold the address locks). */
export async function usedKeys(tx: Db, keys: readonly string[], windowMs: number, now: Date): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await tx
    .select({ key: rateLimits.key })
    .from(rateLimits)
    .where(
      and(inArray(rateLimits.key, [...keys]), gt(rateLimits.windowStart, new Date(now.getTime() - windowMs)), gt(rateLimits.count, 0)),
    );
  return new Set(rows.map((r) => r.key));
}

/** What a batch's verdicts allow of `items`, and a "rate_limited" outcome for each one refused. */
export function sortByVerdicts<T>(
  verdicts: Map<string, EmailReservation>,
  items: readonly T[],
  emailOf: (item: T) => string,
): { allowed: T[]; refused: { email: string; outcome: "rate_limited"; reason: string; retryAfterSeconds: number }[] } {
  const allowed: T[] = [];
  const refused: { email: string; outcome: "rate_limited"; reason: string; retryAfterSeconds: number }[] = [];
  for (const item of items) {
    const email = emailOf(item);
    const verdict = verdicts.get(email);
    if (verdict && !verdict.ok)
      refused.push({ email, outcome: "rate_limited", reason: verdict.reason, retryAfterSeconds: verdict.retryAfterSeconds });
    else allowed.push(item);
  }
  return { allowed, refused };
}
