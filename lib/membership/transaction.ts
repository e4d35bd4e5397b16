import type { Db } from "@/db/client";

const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 5;

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" ? code : undefined;
}

/** Whether an error is Postgres's unique violation (23505). */
export function isUniqueViolation(err: unknown): boolean {
  return pgCode(err) === "23505";
}

/**
 * Runs fn in a transaction, retrying a bounded number of times when Postgres aborts it for a
 * serialization failure or a deadlock: the only safe answer to those is to run it again.
 */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => fn(tx as unknown as Db));
    } catch (err) {
      if (attempt >= MAX_ATTEMPTS || !RETRYABLE.has(pgCode(err) ?? "")) throw err;
    }
  }
}
