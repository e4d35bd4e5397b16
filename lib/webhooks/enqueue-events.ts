import "server-only";
import { randomUUID } from "node:crypto";
import { inArray } from "drizzle-orm";
import type { PgInsertBase, PgQueryResultHKT, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { projects, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { EVENT_OF_ACTIVITY, type WebhookEventType } from "./event-types";

/** Retries of a delivery stop a day after its event. */
export const RETRY_WINDOW_MS = 24 * 3_600_000;

/** Who made a change, as an event names it. */
export interface EventActor {
  type: "user" | "api_key" | "sso_connection" | "scim" | "system";
  id: string | null;
  email: string | null;
}

/** One recorded activity row, the source of an event. */
export interface ActivityRecord {
  id: string;
  orgId: string;
  action: string;
  projectId: string | null;
  projectName: string | null;
  targetEmail: string | null;
  targetUserId: string | null;
  oldRole: string | null;
  newRole: string | null;
}

/** The JSON body every endpoint receives (documented in the OpenAPI `webhooks` section). */
export interface WebhookPayload {
  id: string;
  type: WebhookEventType;
  timestamp: string;
  organizationId: string;
  data: Record<string, unknown>;
}

/** A new event id: the stable `webhook-id` receivers deduplicate on. */
export function newEventId(): string {
  return `msg_${randomUUID().replaceAll("-", "")}`;
}

/**
 * Writes recorded activity (`write`: the insert of its rows, whose ids the records carry), the
 * webhook events it makes, and one delivery per subscribed endpoint, in the transaction of the
 * change (recordActivity calls it): a rolled-back change sends nothing and a committed one is
 * never lost. Nothing more is written for an organization without an endpoint that wants the
 * event. The endpoints are read FOR KEY SHARE, so one deleted meanwhile waits for this commit (its
 * deliveries then go with it) instead of failing the change; the activity rows are written by
 * that same statement (a data-modifying WITH), so recording a change costs one round trip.
 */
export async function enqueueWebhookEvents(
  tx: Db,
  actor: EventActor,
  records: ActivityRecord[],
  now: Date,
  write: PgInsertBase<PgTable, PgQueryResultHKT>,
): Promise<void> {
  const typed = records.flatMap((r) => {
    const type = EVENT_OF_ACTIVITY[r.action];
    return type ? [{ record: r, type }] : [];
  });
  if (typed.length === 0) {
    await write;
    return;
  }
  const orgIds = [...new Set(typed.map((t) => t.record.orgId))];
  const written = tx.$with("written").as(write);
  const endpoints = await tx
    .with(written)
    .select({ id: webhookEndpoints.id, orgId: webhookEndpoints.orgId, eventTypes: webhookEndpoints.eventTypes })
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.orgId, orgIds))
    .for("key share");
  if (endpoints.length === 0) return;
  // Most records name only the project's id; the event names the project too.
  const unnamed = [...new Set(typed.flatMap((t) => (t.record.projectId && !t.record.projectName ? [t.record.projectId] : [])))];
  const names = new Map(
    unnamed.length
      ? (await tx.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, unnamed))).map((p) => [
          p.id,
          p.name,
        ])
      : [],
  );
  const events: (typeof webhookEvents.$inferInsert)[] = [];
  const deliveries: (typeof webhookDeliveries.$inferInsert)[] = [];
  for (const { record, type } of typed) {
    const wanting = endpoints.filter((e) => e.orgId === record.orgId && e.eventTypes.includes(type));
    if (wanting.length === 0) continue;
    const payload = eventPayload(
      newEventId(),
      type,
      record.orgId,
      now,
      eventData(actor, { ...record, projectName: record.projectName ?? (record.projectId ? (names.get(record.projectId) ?? null) : null) }),
    );
    events.push({ id: payload.id, orgId: record.orgId, type, payload: payload as unknown as Record<string, unknown>, createdAt: now });
    for (const e of wanting) deliveries.push(deliveryRow(e.id, payload.id, now));
  }
  if (events.length === 0) return;
  await tx.insert(webhookEvents).values(events);
  await tx.insert(webhookDeliveries).values(deliveries);
}

/** The body of one event. */
export function eventPayload(id: string, type: WebhookEventType, orgId: string, at: Date, data: Record<string, unknown>): WebhookPayload {
  return { id, type, timestamp: at.toISOString(), organizationId: orgId, data };
}

/** A new delivery of an event to an endpoint, due at once, retried for a day. */
export function deliveryRow(endpointId: string, eventId: string, now: Date): typeof webhookDeliveries.$inferInsert {
  return { endpointId, eventId, nextAttemptAt: now, giveUpAt: new Date(now.getTime() + RETRY_WINDOW_MS), createdAt: now };
}

function eventData(actor: EventActor, r: ActivityRecord): Record<string, unknown> {
  return {
    activityId: r.id,
    actor,
    email: r.targetEmail,
    userId: r.targetUserId,
    oldRole: r.oldRole,
    newRole: r.newRole,
    project: r.projectId || r.projectName ? { id: r.projectId, name: r.projectName } : null,
  };
}
