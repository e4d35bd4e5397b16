import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { authorizeOrg, isUuid } from "../access";
import type { Actor } from "../types";
import { notFoundEndpoint } from "./webhook-rules";

/** One line of an endpoint's delivery log. */
export interface WebhookDeliverySummary {
  id: string;
  eventId: string;
  eventType: string;
  status: "pending" | "sending" | "delivered" | "failed";
  attempts: number;
  responseCode: number | null;
  durationMs: number | null;
  /** The first 64 kB of the last answer, kept 7 days. */
  responseBody: string | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

export const DELIVERY_LOG_SIZE = 100;

/** An endpoint's newest 100 deliveries, newest first. Organization Owners only. */
export async function listWebhookDeliveries(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; endpointId: string },
): Promise<WebhookDeliverySummary[]> {
  await authorizeOrg(db, actor, input.orgId, "org.webhooks.manage");
  if (!isUuid(input.endpointId)) throw notFoundEndpoint();
  const [endpoint] = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, input.endpointId), eq(webhookEndpoints.orgId, input.orgId)));
  if (!endpoint) throw notFoundEndpoint();
  const rows = await db
    .select({ d: webhookDeliveries, eventType: webhookEvents.type })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpoint.id))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(DELIVERY_LOG_SIZE);
  return rows.map(({ d, eventType }) => ({
    id: d.id,
    eventId: d.eventId,
    eventType,
    status: d.status,
    attempts: d.attempts,
    responseCode: d.responseCode,
    durationMs: d.durationMs,
    responseBody: d.responseBody,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt,
    nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
    createdAt: d.createdAt,
  }));
}
