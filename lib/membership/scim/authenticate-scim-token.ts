import "server-only";
import type { Db } from "@/db/client";
import { scimTokens } from "@/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import type { ScimActor } from "../activity/record-activity";
import type { VerbOptions } from "../types";
import { hashScimToken, isWellFormedScimToken } from "./scim-token-rules";

/**
 * The SCIM actor a bearer token stands for, or null for a malformed, unknown or revoked token, or
 * one of another organization than the URL names (an API key is malformed here: another prefix).
 * Marks the token as used (at most once a minute, so a busy IdP does not contend on its row).
 */
export async function authenticateScimToken(db: Db, token: unknown, orgId: string, options: VerbOptions = {}): Promise<ScimActor | null> {
  const now = options.now ?? new Date();
  if (!isWellFormedScimToken(token)) return null;
  const [row] = await db
    .select({ id: scimTokens.id, orgId: scimTokens.orgId, lastUsedAt: scimTokens.lastUsedAt })
    .from(scimTokens)
    .where(and(eq(scimTokens.tokenHash, hashScimToken(token)), isNull(scimTokens.revokedAt)))
    .limit(1);
  if (!row || row.orgId !== orgId) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000)
    await db.update(scimTokens).set({ lastUsedAt: now }).where(eq(scimTokens.id, row.id));
  return { scim: { tokenId: row.id, orgId: row.orgId } };
}
