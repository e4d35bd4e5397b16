import "server-only";
import { desc, eq } from "drizzle-orm";
import { webhookEndpoints } from "@/db/schema";
import { authorizeOrg } from "../access";
import { verb } from "../verb";
import { toEndpointSummary, type WebhookEndpointSummary } from "./webhook-summary";

/** An organization's webhook endpoints, newest first (at most 20 exist). Organization Owners only. */
export const listWebhookEndpoints = verb(async (db, actor, input: { orgId: string }, now): Promise<WebhookEndpointSummary[]> => {
  await authorizeOrg(db, actor, input.orgId, "org.webhooks.manage");
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, input.orgId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map((r) => toEndpointSummary(r, now));
});
