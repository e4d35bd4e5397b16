import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { webhookDeliveries, webhookEvents } from "@/db/schema";
import { deliveryRow } from "@/lib/webhooks/enqueue-events";
import { authorizeOrg, isUuid } from "../access";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { lockEndpoint } from "./webhook-rules";

/** The delivery of an endpoint to send again. */
export interface RedeliverWebhookInput {
  orgId: string;
  endpointId: string;
  deliveryId: string;
}

/**
 * Sends a delivery's event again to its endpoint, as a new delivery with the same event id (a
 * receiver that already has it can tell). Bodies are kept 7 days; an older event cannot be sent
 * again. Organization Owners only.
 */
export const redeliverWebhook = transactionalVerb(
  async (tx, actor, input: RedeliverWebhookInput, now): Promise<{ deliveryId: string; eventId: string }> => {
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage");
    const endpoint = await lockEndpoint(tx, input.orgId, input.endpointId);
    const missing = new DomainError("NOT_FOUND", "This delivery was not found.");
    if (!isUuid(input.deliveryId)) throw missing;
    const [found] = await tx
      .select({ eventId: webhookDeliveries.eventId, empty: sql<boolean>`${webhookEvents.payload} = '{}'::jsonb` })
      .from(webhookDeliveries)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
      .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)));
    if (!found) throw missing;
    if (found.empty)
      throw new DomainError("CONFLICT", "This event is older than 7 days; its body is no longer kept, so it cannot be sent again.");
    const [row] = await tx
      .insert(webhookDeliveries)
      .values(deliveryRow(endpoint.id, found.eventId, now))
      .returning({ id: webhookDeliveries.id });
    return { deliveryId: row!.id, eventId: found.eventId };
  },
);
