import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import type { Received } from "./receiver";

export const LIMITS = { perRecipient: 1_000, perInviter: 100_000, perOrganization: 100_000, windowMs: 3_600_000 };

type Schema = Record<string, unknown>;

/** Checks a received body against the OpenAPI document's `webhooks` schema of its type (ajv, JSON Schema 2020-12). */
export function expectDocumented(received: Received): void {
  const webhooks = buildOpenApiDocument().webhooks as Record<
    string,
    { post: { requestBody: { content: Record<string, { schema: Schema }> } } }
  >;
  const doc = webhooks[received.payload.type];
  expect(doc, `documented event ${received.payload.type}`).toBeDefined();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(doc!.post.requestBody.content["application/json"]!.schema);
  expect(validate(received.payload), JSON.stringify(validate.errors)).toBe(true);
}

/** Runs delivery passes on the given clock until a pass claims nothing. */
export async function deliverAll(db: Db, now: Date, extra: { timeoutMs?: number } = {}): Promise<void> {
  for (;;) {
    const r = await deliverDueWebhooks(db, { now, allowLoopback: true, logger: { error: () => {} }, ...extra });
    if (r.claimed === 0) return;
  }
}

export async function deliveriesOf(db: Db, endpointId: string) {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}
