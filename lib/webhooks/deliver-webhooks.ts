import "server-only";
import { and, asc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, organizations, users, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { enqueueEmails } from "@/lib/email/outbox";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { retryDelayMs } from "@/lib/jobs/backoff";
import { addressOptionsOf, type HostResolver } from "./address-guard";
import { postWebhook, type PostResult } from "./post-webhook";
import { openWebhookSecret, signWebhook } from "./signing";
import { webhooksPageUrl } from "./webhooks-page-url";

// Longer than one attempt can take (10 s), so a claim never lapses while its runner still waits.
const LOCK_MS = 60_000;
const DEFAULT_LIMIT = 50;

export interface WebhookDeliverOptions {
  /** The clock; tests inject one. Claims, backoff and the day of retries all use it. */
  now?: Date;
  limit?: number;
  /** Deliver only these rows (after a redeliver or a test event), if they are due. */
  ids?: string[];
  /** Loopback endpoints allowed (tests); defaults to WEBHOOK_ALLOW_LOOPBACK. */
  allowLoopback?: boolean;
  /** Loopback endpoints only, every other address refused (WEBHOOK_ALLOW_LOOPBACK=only). */
  onlyLoopback?: boolean;
  resolve?: HostResolver;
  timeoutMs?: number;
  logger?: Pick<Console, "error">;
}

export interface WebhookDeliverResult {
  claimed: number;
  delivered: number;
  retrying: number;
  failed: number;
}

interface Claimed {
  id: string;
  endpointId: string;
  eventId: string;
  attempts: number;
  giveUpAt: Date;
}

/**
 * Claims due deliveries (pending ones whose time has come, and "sending" ones whose runner died
 * and whose claim lapsed), commits the claim, then sends them all at once, each with its own
 * 10 s limit, so one slow endpoint never holds up the others. No transaction is open while
 * sending. A 2xx delivers; anything else (3xx included) retries with backoff until a day after the
 * event, then the delivery has failed and the endpoint is marked failing (its Owners told once).
 */
export async function deliverDueWebhooks(db: Db, options: WebhookDeliverOptions = {}): Promise<WebhookDeliverResult> {
  const now = options.now ?? new Date();
  const claimed = await claimDeliveries(db, now, options.limit ?? DEFAULT_LIMIT, options.ids);
  const result: WebhookDeliverResult = { claimed: claimed.length, delivered: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return result;
  const events = await db
    .select({ id: webhookEvents.id, payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(inArray(webhookEvents.id, [...new Set(claimed.map((c) => c.eventId))]));
  const endpoints = await db
    .select()
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.id, [...new Set(claimed.map((c) => c.endpointId))]));
  const addresses =
    options.allowLoopback === undefined && options.onlyLoopback === undefined
      ? addressOptionsOf(getEnv().WEBHOOK_ALLOW_LOOPBACK)
      : { allowLoopback: options.allowLoopback ?? false, onlyLoopback: options.onlyLoopback ?? false };
  const logger = options.logger ?? console;

  await Promise.all(
    claimed.map(async (row) => {
      const event = events.find((e) => e.id === row.eventId);
      const endpoint = endpoints.find((e) => e.id === row.endpointId);
      // Deleted meanwhile (its deliveries go with it) or pruned: nothing left to send.
      if (!event || !endpoint) return;
      const body = JSON.stringify(event.payload);
      let outcome: PostResult;
      try {
        const secrets = [openWebhookSecret(endpoint.secretSealed, endpoint.id)];
        if (endpoint.previousSecretSealed && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
          secrets.push(openWebhookSecret(endpoint.previousSecretSealed, endpoint.id));
        }
        outcome = await postWebhook(endpoint.url, signWebhook(secrets, row.eventId, new Date(), body), body, {
          ...addresses,
          resolve: options.resolve,
          timeoutMs: options.timeoutMs,
        });
      } catch (err) {
        outcome = { kind: "failed", error: errorText(err), durationMs: 0 };
      }
      try {
        const verdict = await record(db, row, outcome, now);
        result[verdict] += 1;
        if (verdict === "delivered" && endpoint.status === "failing") await markRecovered(db, endpoint.id);
        if (verdict === "failed") await markFailing(db, endpoint, now);
      } catch (err) {
        // The claim lapses and another pass tries again: at least once, never lost.
        logger.error("[webhooks] recording a delivery failed:", errorText(err));
      }
    }),
  );
  return result;
}

async function claimDeliveries(db: Db, now: Date, limit: number, ids?: string[]): Promise<Claimed[]> {
  const due = or(
    and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)),
    and(eq(webhookDeliveries.status, "sending"), lt(webhookDeliveries.lockedUntil, now)),
  );
  // SKIP LOCKED: runners side by side each take different rows (the email outbox's claim).
  const candidates = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(ids ? and(inArray(webhookDeliveries.id, ids), due) : due)
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ status: "sending", lockedUntil: new Date(now.getTime() + LOCK_MS), attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(inArray(webhookDeliveries.id, candidates))
    .returning({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      eventId: webhookDeliveries.eventId,
      attempts: webhookDeliveries.attempts,
      giveUpAt: webhookDeliveries.giveUpAt,
    });
}

async function record(db: Db, row: Claimed, outcome: PostResult, now: Date): Promise<"delivered" | "retrying" | "failed"> {
  const ok = outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300;
  const next = new Date(now.getTime() + retryDelayMs(row.attempts));
  const verdict = ok ? "delivered" : next > row.giveUpAt ? "failed" : "retrying";
  const answer =
    outcome.kind === "answered"
      ? {
          responseCode: outcome.status,
          responseBody: outcome.body,
          lastError: outcome.status >= 300 && outcome.status < 400 ? "redirects are not followed" : null,
        }
      : { responseCode: null, responseBody: null, lastError: outcome.error.slice(0, 1_000) };
  await db
    .update(webhookDeliveries)
    .set({
      ...answer,
      status: verdict === "retrying" ? "pending" : verdict,
      nextAttemptAt: verdict === "retrying" ? next : now,
      lockedUntil: null,
      durationMs: outcome.durationMs,
      lastAttemptAt: now,
      deliveredAt: ok ? now : null,
    })
    // Only this claim's outcome: a runner that took the row over after a lapse counts its own attempt.
    .where(and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, "sending"), eq(webhookDeliveries.attempts, row.attempts)));
  return verdict;
}

async function markRecovered(db: Db, endpointId: string): Promise<void> {
  await db.update(webhookEndpoints).set({ status: "active", failingSince: null }).where(eq(webhookEndpoints.id, endpointId));
}

/** Marks the endpoint failing; only the pass that turns it from active tells the Owners (once). */
async function markFailing(db: Db, endpoint: { id: string; orgId: string; url: string }, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const turned = await tx
      .update(webhookEndpoints)
      .set({ status: "failing", failingSince: now })
      .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.status, "active")))
      .returning({ id: webhookEndpoints.id });
    if (turned.length === 0) return;
    const [org] = await tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, endpoint.orgId));
    const owners = await tx
      .select({ email: users.email })
      .from(organizationMemberships)
      .innerJoin(users, eq(users.id, organizationMemberships.userId))
      .where(and(eq(organizationMemberships.orgId, endpoint.orgId), eq(organizationMemberships.role, "owner")));
    await enqueueEmails(
      tx,
      owners.map((o) => ({
        to: o.email,
        kind: "webhook_failing" as const,
        payload: { url: webhooksPageUrl(endpoint.orgId), organizationName: org?.name ?? "your organization", endpointUrl: endpoint.url },
      })),
      now,
    );
  });
}
