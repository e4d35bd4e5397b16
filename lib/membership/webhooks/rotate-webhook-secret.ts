import "server-only";
import { eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { generateWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/signing";
import { authorizeOrg } from "../access";
import { transactionalVerb } from "../verb";
import { lockEndpoint, SECRET_OVERLAP_MS } from "./webhook-rules";

/**
 * Gives an endpoint a new signing secret, shown this once. For 24 hours every delivery is signed
 * with both (the signature header carries two signatures), so the receiver can switch without
 * losing an event. A second rotation within the overlap drops the oldest secret. Organization Owners only.
 */
export const rotateWebhookSecret = transactionalVerb(
  async (tx, actor, input: { orgId: string; endpointId: string }, now): Promise<{ secret: string; previousSecretExpiresAt: Date }> => {
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage");
    const endpoint = await lockEndpoint(tx, input.orgId, input.endpointId);
    const secret = generateWebhookSecret();
    const previousSecretExpiresAt = new Date(now.getTime() + SECRET_OVERLAP_MS);
    await tx
      .update(webhookEndpoints)
      .set({ secretSealed: sealWebhookSecret(secret, endpoint.id), previousSecretSealed: endpoint.secretSealed, previousSecretExpiresAt })
      .where(eq(webhookEndpoints.id, endpoint.id));
    return { secret, previousSecretExpiresAt };
  },
);
