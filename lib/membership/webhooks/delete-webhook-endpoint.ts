import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { authorizeOrg } from "../access";
import { inTransaction } from "../transaction";
import type { Actor } from "../types";
import { lockEndpoint } from "./webhook-rules";

/** Deletes an endpoint with its delivery log; nothing more is sent to it. Organization Owners only. */
export async function deleteWebhookEndpoint(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; endpointId: string },
): Promise<{ status: "deleted" }> {
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.webhooks.manage");
    const endpoint = await lockEndpoint(tx, input.orgId, input.endpointId);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
    return { status: "deleted" as const };
  });
}
