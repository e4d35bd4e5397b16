import "server-only";
import type { Db } from "@/db/client";
import { scimTokens } from "@/db/schema";
import { desc, eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import type { Actor } from "../types";
import { refuseKeysForScim } from "./scim-token-rules";

export interface ScimTokenSummary {
  id: string;
  name: string;
  prefix: string;
  createdByEmail: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** An organization's SCIM tokens, newest first, revoked ones included (never the secret); Organization Owners only. */
export async function listScimTokens(db: Db, actor: Actor | null, input: { orgId: string }): Promise<ScimTokenSummary[]> {
  refuseKeysForScim(actor);
  await authorizeOrg(db, actor, input.orgId, "org.scim.manage");
  return db
    .select({
      id: scimTokens.id,
      name: scimTokens.name,
      prefix: scimTokens.prefix,
      createdByEmail: scimTokens.createdByEmail,
      createdAt: scimTokens.createdAt,
      lastUsedAt: scimTokens.lastUsedAt,
      revokedAt: scimTokens.revokedAt,
    })
    .from(scimTokens)
    .where(eq(scimTokens.orgId, input.orgId))
    .orderBy(desc(scimTokens.createdAt), desc(scimTokens.id))
    .limit(200);
}
