import "server-only";
import { scimTokens } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { authorizeOrg, isUuid } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { refuseKeysForScim } from "./scim-token-rules";

/** Revokes a SCIM token (Organization Owners only); the identity provider's next request with it is refused. */
export const revokeScimToken = transactionalVerb(
  async (tx, actor, input: { orgId: string; tokenId: string }, now): Promise<{ status: "revoked" }> => {
    refuseKeysForScim(actor);
    await authorizeOrg(tx, actor, input.orgId, "org.scim.manage");
    if (!isUuid(input.tokenId)) throw new DomainError("NOT_FOUND", "This SCIM token was not found.");
    const [token] = await tx
      .select()
      .from(scimTokens)
      .where(and(eq(scimTokens.id, input.tokenId), eq(scimTokens.orgId, input.orgId)))
      .for("update");
    if (!token) throw new DomainError("NOT_FOUND", "This SCIM token was not found.");
    if (token.revokedAt) throw new DomainError("CONFLICT", "This SCIM token was already revoked.");
    await tx.update(scimTokens).set({ revokedAt: now }).where(eq(scimTokens.id, token.id));
    await recordActivity(
      tx,
      actor!,
      [{ orgId: input.orgId, action: "scim_token.revoked", detail: `${token.name} (${token.prefix}…)` }],
      now,
    );
    return { status: "revoked" as const };
  },
);
