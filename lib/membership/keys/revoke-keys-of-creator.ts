import "server-only";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { and, eq, isNull } from "drizzle-orm";
import { type ActivityEntry } from "../activity/record-activity";

/**
 * Revokes the keys someone made in an organization they are leaving or removed from, in that
 * transaction (which holds the organization row lock), so the keys do not come back to life if
 * they are added again. Returns one activity record per key, naming the key and its creator.
 */
export async function revokeKeysOfCreator(
  tx: Db,
  person: { orgId: string; userId: string; email: string },
  now: Date,
): Promise<ActivityEntry[]> {
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.orgId, person.orgId), eq(apiKeys.createdById, person.userId), isNull(apiKeys.revokedAt)))
    .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
  return revoked.map((k) => ({
    orgId: person.orgId,
    action: "api_key.revoked",
    detail: `${k.name} (${k.prefix}…)`,
    targetEmail: person.email,
    targetUserId: person.userId,
  }));
}
