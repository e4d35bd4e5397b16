import "server-only";
import { scimTokens } from "@/db/schema";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { validName } from "../names";
import { transactionalVerb } from "../verb";
import { mintBearerSecret } from "../bearer-secret";
import { SCIM_TOKEN_PREFIX, refuseKeysForScim } from "./scim-token-rules";

/** Creates a SCIM token (Organization Owners only) and returns it, the only time it is shown; only its hash is stored. */
export const createScimToken = transactionalVerb(
  async (tx, actor, input: { orgId: string; name: string }, now): Promise<{ id: string; token: string; prefix: string }> => {
    refuseKeysForScim(actor);
    const name = validName(input.name, "token");
    await authorizeOrg(tx, actor, input.orgId, "org.scim.manage", { lock: true });
    const { secret: token, prefix, hash } = mintBearerSecret(SCIM_TOKEN_PREFIX);
    const [row] = await tx
      .insert(scimTokens)
      .values({
        orgId: input.orgId,
        name,
        prefix,
        tokenHash: hash,
        createdById: actor!.id,
        createdByEmail: actor!.email,
        createdAt: now,
      })
      .returning({ id: scimTokens.id });
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "scim_token.created", detail: `${name} (${prefix}…)` }], now);
    return { id: row!.id, token, prefix };
  },
);
