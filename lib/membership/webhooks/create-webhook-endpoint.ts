import "server-only";
import { randomUUID } from "node:crypto";
import { count, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { generateWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/signing";
import { authorizeOrg } from "../access";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { checkEventTypes, checkWebhookUrl, MAX_WEBHOOK_ENDPOINTS } from "./webhook-rules";
import { toEndpointSummary, type WebhookEndpointSummary } from "./webhook-summary";

/** The address of a new endpoint and the events it receives. */
export interface CreateWebhookEndpointInput {
  orgId: string;
  url: string;
  eventTypes: string[];
}

/** Adds a webhook endpoint; answers with its signing secret, shown this once. Organization Owners only. */
export const createWebhookEndpoint = transactionalVerb(
  async (tx, actor, input: CreateWebhookEndpointInput, now): Promise<{ endpoint: WebhookEndpointSummary; secret: string }> => {
    // Locked so two saves at once cannot pass the count together.
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage", { lock: true });
    const url = checkWebhookUrl(input.url);
    const eventTypes = checkEventTypes(input.eventTypes);
    const [existing] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.orgId, input.orgId));
    if ((existing?.n ?? 0) >= MAX_WEBHOOK_ENDPOINTS) {
      throw new DomainError("LIMIT_REACHED", `An organization may have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints.`);
    }
    const id = randomUUID();
    const secret = generateWebhookSecret();
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ id, orgId: input.orgId, url, eventTypes, secretSealed: sealWebhookSecret(secret, id), createdAt: now })
      .returning();
    return { endpoint: toEndpointSummary(row!, now), secret };
  },
);
