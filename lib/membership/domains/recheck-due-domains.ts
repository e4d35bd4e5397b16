import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { resolveTxt } from "@/lib/dns/resolve-txt";
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import { inTransaction } from "../transaction";
import { applyLookup } from "./apply-lookup";
import type { DomainRow } from "./domain-rules";

// A claimed row is not due again for this long: if the checker dies mid-check, another picks it up then.
const CLAIM_MS = 5 * 60_000;
// Lookups in flight at once: a slow DNS server delays the batch, not each row in turn.
const PARALLEL = 8;

export interface RecheckResult {
  checked: number;
  verified: number;
  failed: number;
}

/**
 * The scheduled check (the worker and the app's own timer, no actor): claims pending and verified
 * domains whose next_check_at has come, looks each up once and records the outcome. Rows are
 * claimed with FOR UPDATE SKIP LOCKED and moved out of the due window before any lookup, so
 * checkers running side by side never check one row twice.
 */
export async function recheckDueDomains(db: Db, options: { now?: Date; limit?: number } = {}): Promise<RecheckResult> {
  const now = options.now ?? new Date();
  const claimed = await inTransaction(db, async (tx) => {
    const rows = await tx
      .select()
      .from(orgDomains)
      .where(and(lte(orgDomains.nextCheckAt, now), inArray(orgDomains.status, ["pending", "verified"])))
      .orderBy(asc(orgDomains.nextCheckAt))
      .limit(options.limit ?? 100)
      .for("update", { skipLocked: true });
    if (rows.length > 0)
      await tx
        .update(orgDomains)
        .set({ nextCheckAt: new Date(now.getTime() + CLAIM_MS) })
        .where(
          inArray(
            orgDomains.id,
            rows.map((r) => r.id),
          ),
        );
    return rows;
  });
  const result: RecheckResult = { checked: 0, verified: 0, failed: 0 };
  const queue = [...claimed];
  const work = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const status = await checkOne(db, row, now);
      if (!status) continue;
      result.checked++;
      if (status !== row.status && status === "verified") result.verified++;
      if (status !== row.status && status === "failed") result.failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, work));
  return result;
}

async function checkOne(db: Db, claimed: DomainRow, now: Date): Promise<DomainRow["status"] | null> {
  const lookup = await resolveTxt(claimed.domain);
  return inTransaction(db, async (tx) => {
    const [row] = await tx.select().from(orgDomains).where(eq(orgDomains.id, claimed.id)).for("update");
    // Removed meanwhile, or removed and claimed again with a new token: this lookup is not about it.
    if (!row || row.verificationToken !== claimed.verificationToken) return null;
    return (await applyLookup(tx, row, lookup, now, null)).row.status;
  });
}
