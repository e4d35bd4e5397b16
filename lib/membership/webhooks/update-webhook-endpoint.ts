import "server-only";
import { eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { authorizeOrg } from "../access";
import { transactionalVerb } from "../verb";
import { checkEventTypes, checkWebhookUrl, lockEndpoint } from "./webhook-rules";
import { toEndpointSummary, type WebhookEndpointSummary } from "./webhook-summary";

/** The endpoint to change; a value left out stays as it is. */
export interface UpdateWebhookEndpointInput {
  orgId: string;
  endpointId: string;
  url?: string;
  eventTypes?: string[];
}

/** Changes an endpoint's URL or events (the secret stays). Organization Owners only. */
export const updateWebhookEndpoint = transactionalVerb(
  async (tx, actor, input: UpdateWebhookEndpointInput, now): Promise<WebhookEndpointSummary> => {
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage");
    const endpoint = await lockEndpoint(tx, input.orgId, input.endpointId);
    const url = input.url === undefined ? endpoint.url : checkWebhookUrl(input.url);
    const eventTypes = input.eventTypes === undefined ? endpoint.eventTypes : checkEventTypes(input.eventTypes);
    const [row] = await tx.update(webhookEndpoints).set({ url, eventTypes }).where(eq(webhookEndpoints.id, endpoint.id)).returning();
    return toEndpointSummary(row!, now);
  },
);
