import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import type { TxtLookup } from "@/lib/dns/resolve-txt";
import { eq } from "drizzle-orm";
import { recordActivity, recordSystemActivity, type ActivityEntry } from "../activity/record-activity";
import type { Actor } from "../types";
import { ERROR_RECHECK_MS, PENDING_RECHECK_MS, PENDING_WINDOW_MS, VERIFIED_RECHECK_MS, type DomainRow } from "./domain-rules";

const DNS_ERRORS: Record<string, string> = {
  ETIMEOUT: "the DNS server did not answer in time",
  ESERVFAIL: "the DNS server failed to answer (SERVFAIL)",
  EREFUSED: "the DNS server refused the query",
  ECONNREFUSED: "the DNS server could not be reached",
};

const absentWords = (row: DomainRow) => `No TXT record ${row.verificationToken} found on ${row.domain}.`;

/** The words stored in `failure` for a lookup that did not verify the domain. */
function failureOf(row: DomainRow, lookup: TxtLookup): string {
  if (lookup.kind === "error") return `Could not look up the TXT records of ${row.domain}: ${DNS_ERRORS[lookup.code] ?? lookup.code}.`;
  if (lookup.kind === "absent" && lookup.reason === "nxdomain") return `${absentWords(row)} The name does not exist in DNS.`;
  return absentWords(row);
}

const isUniqueViolation = (err: unknown, constraint: string) => {
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const pg = e?.cause?.code ? e.cause : e;
  return pg?.code === "23505" && (pg.constraint === constraint || String((err as Error).message).includes(constraint));
};

export interface Applied {
  row: DomainRow;
  /** Another organization verified the same domain first: nothing but the failure was written. */
  lostRace: boolean;
}

/**
 * Writes what one lookup means for a domain row locked by the caller (`actor` null for the
 * scheduled check): the record present and exact → verified; definitely absent → a verified
 * domain fails at once, a pending one waits until its 7 days are over; a DNS failure that proves
 * nothing changes no status and is tried again sooner. Status changes are recorded.
 */
export async function applyLookup(tx: Db, row: DomainRow, lookup: TxtLookup, now: Date, actor: Actor | null): Promise<Applied> {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const found = lookup.kind === "found" && lookup.records.includes(row.verificationToken);
  const record = async (action: ActivityEntry["action"]) => {
    const entries = [{ orgId: row.orgId, action, detail: row.domain }];
    if (actor) await recordActivity(tx, actor, entries, now);
    else await recordSystemActivity(tx, entries, now);
  };
  const write = async (values: Partial<DomainRow>) => {
    const [updated] = await tx
      .update(orgDomains)
      .set({ ...values, lastCheckedAt: now })
      .where(eq(orgDomains.id, row.id))
      .returning();
    return updated!;
  };

  if (found) {
    if (row.status === "verified") return { row: await write({ failure: null, nextCheckAt: at(VERIFIED_RECHECK_MS) }), lostRace: false };
    try {
      // A savepoint: when another organization verified the same domain first, the partial unique
      // index org_domains_verified_uq refuses this update, and only the update is undone.
      const updated = await tx.transaction(async (sp) => {
        const [u] = await (sp as unknown as Db)
          .update(orgDomains)
          .set({ status: "verified", verifiedAt: now, failure: null, lastCheckedAt: now, nextCheckAt: at(VERIFIED_RECHECK_MS) })
          .where(eq(orgDomains.id, row.id))
          .returning();
        return u!;
      });
      await record("domain.verified");
      return { row: updated, lostRace: false };
    } catch (err) {
      if (!isUniqueViolation(err, "org_domains_verified_uq")) throw err;
      const failure = `${row.domain} is already verified by another organization.`;
      return { row: await write({ failure, nextCheckAt: at(PENDING_RECHECK_MS) }), lostRace: true };
    }
  }

  const failure = failureOf(row, lookup);
  if (row.status === "verified") {
    // A DNS failure proves nothing; an answer without the record proves it is gone.
    if (lookup.kind === "error") return { row: await write({ failure, nextCheckAt: at(ERROR_RECHECK_MS) }), lostRace: false };
    const updated = await write({ status: "failed", failure, nextCheckAt: now });
    await record("domain.failed");
    return { row: updated, lostRace: false };
  }
  if (row.status === "pending" && now.getTime() - row.createdAt.getTime() >= PENDING_WINDOW_MS) {
    const updated = await write({ status: "failed", failure: `Not verified within 7 days. ${failure}`, nextCheckAt: now });
    await record("domain.failed");
    return { row: updated, lostRace: false };
  }
  return { row: await write({ failure, nextCheckAt: at(PENDING_RECHECK_MS) }), lostRace: false };
}
