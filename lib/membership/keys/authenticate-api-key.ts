import "server-only";
import type { Db } from "@/db/client";
import { apiKeyProjects, apiKeys, users } from "@/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import type { Actor, ApiKeyGrant, VerbOptions } from "../types";
import { hashApiKeySecret, isWellFormedApiKey } from "./key-rules";

/**
 * The actor a bearer secret stands for: its creator (as they are now) with the key's grant, or
 * null for a malformed, unknown, revoked or expired key or one whose creator is gone. Marks the
 * key as used.
 */
export async function authenticateApiKey(db: Db, secret: unknown, options: VerbOptions = {}): Promise<Actor | null> {
  const now = options.now ?? new Date();
  if (!isWellFormedApiKey(secret)) return null;
  const [row] = await db
    .select({ key: apiKeys, userId: users.id, email: users.email, userName: users.name })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdById))
    .where(and(eq(apiKeys.secretHash, hashApiKeySecret(secret)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row || (row.key.expiresAt && row.key.expiresAt.getTime() <= now.getTime())) return null;
  const grants =
    row.key.scope === "projects"
      ? await db
          .select({ projectId: apiKeyProjects.projectId, role: apiKeyProjects.role })
          .from(apiKeyProjects)
          .where(eq(apiKeyProjects.apiKeyId, row.key.id))
      : [];
  // Written at most once a minute per key, so busy keys do not contend on their own row.
  if (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > 60_000)
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.key.id));
  const apiKey: ApiKeyGrant = {
    id: row.key.id,
    name: row.key.name,
    orgId: row.key.orgId,
    scope: row.key.scope,
    projects: Object.fromEntries(grants.map((g) => [g.projectId, g.role])),
  };
  return { id: row.userId, email: row.email, name: row.userName, apiKey };
}
