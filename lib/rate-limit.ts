import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { rateLimits } from "@/db/schema";

export interface RateLimitVerdict {
  allowed: boolean;
  /** Seconds until the current window ends (and the key allows again). */
  retryAfterSeconds: number;
  /** Attempts left in the current window. */
  remaining: number;
}

/**
 * Counts one attempt against `key` in a fixed window and says whether it is allowed. One atomic
 * upsert in the database, so the limit holds across app instances. `expires_at` marks the end of
 * the window so the sweeper can delete rows that no longer mean anything.
 */
export async function consumeRateLimit(
  db: Db,
  key: string,
  limit: number,
  windowMs: number,
  now: Date = new Date(),
): Promise<RateLimitVerdict> {
  const windowStartFloor = new Date(now.getTime() - windowMs);
  const fresh = sql`${rateLimits.windowStart} <= ${windowStartFloor}`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: now, count: 1, expiresAt: new Date(now.getTime() + windowMs) })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${fresh} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${fresh} then ${now} else ${rateLimits.windowStart} end`,
        expiresAt: sql`case when ${fresh} then ${new Date(now.getTime() + windowMs)}::timestamptz else ${rateLimits.expiresAt} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  const count = row?.count ?? 1;
  const resetAt = (row?.windowStart ?? now).getTime() + windowMs;
  return {
    allowed: count <= limit,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)),
  };
}

/** Wait in words for a refusal: "in 40 seconds", "in 3 minutes". */
export function retryInWords(seconds: number): string {
  if (seconds < 90) return `in ${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}
