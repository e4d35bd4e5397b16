import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { authorizeOrg } from "../access";
import type { Actor, VerbOptions } from "../types";
import { toEndpointSummary, type WebhookEndpointSummary } from "./webhook-summary";

/** An organization's webhook endpoints, newest first (at most 20 exist). Organization Owners only. */
export async function listWebhookEndpoints(
  db: Db,
  actor: Actor | null,
  input: { orgId: string },
  options: VerbOptions = {},
): Promise<WebhookEndpointSummary[]> {
  const now = options.now ?? new Date();
  await authorizeOrg(db, actor, input.orgId, "org.webhooks.manage");
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.orgId, input.orgId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map((r) => toEndpointSummary(r, now));
}
