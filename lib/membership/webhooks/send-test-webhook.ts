import "server-only";
import { webhookDeliveries, webhookEvents } from "@/db/schema";
import { deliveryRow, eventPayload, newEventId } from "@/lib/webhooks/enqueue-events";
import { authorizeOrg } from "../access";
import { transactionalVerb } from "../verb";
import { lockEndpoint } from "./webhook-rules";

/** Sends a `webhook.test` event to one endpoint (only to it), signed like every other. Organization Owners only. */
export const sendTestWebhook = transactionalVerb(
  async (tx, actor, input: { orgId: string; endpointId: string }, now): Promise<{ deliveryId: string; eventId: string }> => {
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage");
    const endpoint = await lockEndpoint(tx, input.orgId, input.endpointId);
    const id = newEventId();
    const payload = eventPayload(id, "webhook.test", input.orgId, now, {
      endpointId: endpoint.id,
      message: "A test event sent from the console.",
    });
    await tx
      .insert(webhookEvents)
      .values({ id, orgId: input.orgId, type: "webhook.test", payload: payload as unknown as Record<string, unknown>, createdAt: now });
    const [row] = await tx
      .insert(webhookDeliveries)
      .values(deliveryRow(endpoint.id, id, now))
      .returning({ id: webhookDeliveries.id });
    return { deliveryId: row!.id, eventId: id };
  },
);
