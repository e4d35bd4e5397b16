import type { Db } from "@/db/client";
import { after } from "next/server";
import { deliverDue, deliverIds } from "@/lib/email/deliver";
import { startSweeper, type Sweeper } from "@/lib/email/sweeper";
import { createTransportFromEnv } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { getDb } from "./database";

const store = globalThis as unknown as { __membershipSweeper?: Sweeper };

/** Runs the outbox sweeper inside the app process (also available as `npm run worker`). */
export function startOutboxSweeper(db: Db): void {
  const intervalMs = getEnv().OUTBOX_SWEEP_MS;
  if (store.__membershipSweeper || intervalMs === 0) return;
  store.__membershipSweeper = startSweeper(db, createTransportFromEnv(db), { intervalMs });
}

/** Delivers the given outbox rows once the response has gone out (never inside the request). */
export function deliverAfterResponse(ids?: string[]): void {
  const run = ids ? () => deliverIdsNow(ids) : deliverNow;
  try {
    after(run);
  } catch {
    // Outside a request (scripts): try at once; the sweeper covers any failure.
    void run();
  }
}

async function deliverIdsNow(ids: string[]): Promise<void> {
  const db = getDb();
  try {
    await deliverIds(db, createTransportFromEnv(db), ids);
  } catch (err) {
    console.error("[mail] immediate delivery failed; the sweeper will retry", err);
  }
}

/**
 * The immediate delivery attempt after a change commits. Failures stay in the outbox for the
 * sweeper; nothing here can fail the request that caused the email.
 */
export async function deliverNow(): Promise<void> {
  const db = getDb();
  try {
    await deliverDue(db, createTransportFromEnv(db), { limit: 100 });
  } catch (err) {
    console.error("[mail] immediate delivery failed; the sweeper will retry", err);
  }
}
