import "server-only";
import { apiKeys } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { refuseKeys } from "./key-rules";

/** Revokes a key; the next request made with it is refused. Organization Owners only. */
export const revokeApiKey = transactionalVerb(
  async (tx, actor, input: { orgId: string; keyId: string }, now): Promise<{ status: "revoked" }> => {
    refuseKeys(actor);
    await authorizeOrg(tx, actor, input.orgId, "org.apiKeys.manage");
    if (!/^[0-9a-f-]{36}$/i.test(input.keyId)) throw new DomainError("NOT_FOUND", "This API key was not found.");
    const [key] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.orgId, input.orgId)))
      .for("update");
    if (!key) throw new DomainError("NOT_FOUND", "This API key was not found.");
    if (key.revokedAt) throw new DomainError("CONFLICT", "This API key was already revoked.");
    await tx.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, key.id));
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "api_key.revoked", detail: `${key.name} (${key.prefix}…)` }], now);
    return { status: "revoked" as const };
  },
);
