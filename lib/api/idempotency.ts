import "server-only";
import { createHash } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import { inTransaction } from "@/lib/membership/transaction";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** An answer as it goes out: the exact text of its body, so a replay can send the same bytes. */
export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** A refusal by a domain limit says when to try again (never stored: 429s are not replayed). */
  retryAfterSeconds?: number;
}

export type OnceResult =
  | { kind: "fresh"; answer: Answer }
  | { kind: "replay"; answer: Answer }
  /** Carried out before, and its answer held a secret that was not kept. */
  | { kind: "withheld" }
  /** The key was used before with another request. */
  | { kind: "reused" };

/** JSON with every object's keys sorted, so two spellings of one body compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** What makes two requests "the same request" for an Idempotency-Key: method, path, query and the body compared canonically. */
export function requestHash(method: string, pathname: string, query: Record<string, unknown>, body: unknown): string {
  const search = new URLSearchParams(
    Object.entries(query)
      .filter((e): e is [string, string | number] => e[1] !== undefined)
      .map(([k, v]) => [k, String(v)]),
  );
  return createHash("sha256")
    .update(`${method} ${pathname}?${search.toString()}\n${canonicalJson(body)}`)
    .digest("hex");
}

class NotStored extends Error {
  constructor(readonly answer: Answer) {
    super("not stored");
  }
}

interface OnceRequest {
  apiKeyId: string;
  key: string;
  hash: string;
  /** The operation's success carries a secret: keep only that it happened, never its body. */
  revealsSecret: boolean;
  now: Date;
}

/**
 * A POST with an Idempotency-Key runs at most once per key and request for 24 hours. The key's row
 * is inserted in the same transaction as the change: a concurrent twin waits on that row, then
 * reads the stored answer, so ten identical requests at once make one change and get one answer.
 */
export async function executeOnce(db: Db, req: OnceRequest, run: (tx: Db) => Promise<Answer>): Promise<OnceResult> {
  const { apiKeyId, key, hash, now } = req;
  const row = and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, key));
  try {
    return await inTransaction(db, async (tx): Promise<OnceResult> => {
      const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
      const fresh = {
        requestHash: hash,
        status: 0,
        body: null,
        contentType: "application/json",
        bodyWithheld: false,
        createdAt: now,
        expiresAt,
      };
      const claimed = await tx
        .insert(apiIdempotencyKeys)
        .values({ apiKeyId, key, ...fresh })
        .onConflictDoUpdate({
          target: [apiIdempotencyKeys.apiKeyId, apiIdempotencyKeys.key],
          set: fresh,
          // A stored answer older than 24 hours no longer counts.
          setWhere: lte(apiIdempotencyKeys.expiresAt, sql`${now}::timestamptz`),
        })
        .returning({ key: apiIdempotencyKeys.key });
      if (claimed.length === 0) {
        const [stored] = await tx.select().from(apiIdempotencyKeys).where(row);
        if (!stored || stored.requestHash !== hash) return { kind: "reused" };
        if (stored.bodyWithheld || stored.body === null) return { kind: "withheld" };
        return { kind: "replay", answer: { status: stored.status, contentType: stored.contentType, text: stored.body } };
      }
      const answer = await run(tx);
      // A refusal for too many requests is not the answer to keep: a later retry may succeed.
      if (answer.status === 429) throw new NotStored(answer);
      const withheld = req.revealsSecret && answer.status < 400;
      await tx
        .update(apiIdempotencyKeys)
        .set({ status: answer.status, contentType: answer.contentType, body: withheld ? null : answer.text, bodyWithheld: withheld })
        .where(row);
      return { kind: "fresh", answer };
    });
  } catch (err) {
    if (err instanceof NotStored) return { kind: "fresh", answer: err.answer };
    throw err;
  }
}
