import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { authorizeOrg } from "../access";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";
import { checkEventTypes, checkWebhookUrl, lockEndpoint } from "./webhook-rules";
import { toEndpointSummary, type WebhookEndpointSummary } from "./webhook-summary";

/** Changes an endpoint's URL or events (the secret stays). Organization Owners only. */
export async function updateWebhookEndpoint(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; endpointId: string; url?: string; eventTypes?: string[] },
  options: VerbOptions = {},
): Promise<WebhookEndpointSummary> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage");
    const endpoint = await lockEndpoint(tx, input.orgId, input.endpointId);
    const url = input.url === undefined ? endpoint.url : checkWebhookUrl(input.url);
    const eventTypes = input.eventTypes === undefined ? endpoint.eventTypes : checkEventTypes(input.eventTypes);
    const [row] = await tx.update(webhookEndpoints).set({ url, eventTypes }).where(eq(webhookEndpoints.id, endpoint.id)).returning();
    return toEndpointSummary(row!, now);
  });
}
