import "server-only";
import { and, inArray, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookDeliveries, webhookEvents } from "@/db/schema";

const DAY_MS = 24 * 3_600_000;

/**
 * Webhook bodies are kept 7 days: older events lose their payload (their deliveries have long
 * stopped retrying; such an event can no longer be redelivered) and older deliveries the answer
 * they got. The delivery log keeps status, attempts, response code and duration.
 */
export async function pruneWebhookBodies(
  db: Db,
  options: { now?: Date; retentionMs?: number } = {},
): Promise<{ events: number; answers: number }> {
  const before = new Date((options.now ?? new Date()).getTime() - (options.retentionMs ?? 7 * DAY_MS));
  const events = await db
    .update(webhookEvents)
    .set({ payload: {} })
    .where(and(lt(webhookEvents.createdAt, before), ne(webhookEvents.payload, sql`'{}'::jsonb`)))
    .returning({ id: webhookEvents.id });
  const answers = await db
    .update(webhookDeliveries)
    .set({ responseBody: null })
    .where(
      and(
        lt(webhookDeliveries.createdAt, before),
        isNotNull(webhookDeliveries.responseBody),
        inArray(webhookDeliveries.status, ["delivered", "failed"]),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return { events: events.length, answers: answers.length };
}
