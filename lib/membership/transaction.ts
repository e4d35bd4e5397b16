import "server-only";
import type { Db } from "@/db/client";

const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 5;

function pgCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === "string" ? code : undefined;
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

/** Thrown inside `optimistically` when a late claim passes an organization-wide limit. */
export class RetryStrictly extends Error {
  constructor() {
    super("An organization-wide limit was reached: run again with its claims taken first");
  }
}

/**
 * How an invite claims what its whole organization shares (its seats, its email counter).
 * "late": the invite writes first and claims just before commit, so invites of one organization
 * hold those shared locks only for their last statements and do not queue behind each other.
 * "early": it claims before it writes and holds the claims to commit, which gives exact per-address
 * verdicts when the organization is at a limit.
 */
export type Claims = "late" | "early";

/**
 * Runs fn with late claims; when a late claim finds a limit passed (RetryStrictly), everything is
 * rolled back and fn runs again with early claims. The limits hold exactly either way: every
 * claim counts under the same lock, and a transaction that passes a limit never commits.
 */
export async function optimistically<T>(db: Db, fn: (tx: Db, claims: Claims) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(db, (tx) => fn(tx, "late"));
  } catch (err) {
    if (!(err instanceof RetryStrictly || (err as { cause?: unknown } | null)?.cause instanceof RetryStrictly)) throw err;
    return inTransaction(db, (tx) => fn(tx, "early"));
  }
}
