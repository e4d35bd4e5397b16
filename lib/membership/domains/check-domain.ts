import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { resolveTxt } from "@/lib/dns/resolve-txt";
import { and, eq, ne } from "drizzle-orm";
import { authorizeOrg, isUuid } from "../access";
import { inTransaction } from "../transaction";
import { verb } from "../verb";
import { applyLookup } from "./apply-lookup";
import { domainNotFound, toSummary, verifiedElsewhere, type DomainSummary } from "./domain-rules";

/**
 * "Check now" (Organization Owners only): looks the domain's TXT records up at once and records
 * the outcome as a scheduled check would. Refused with CONFLICT, nothing written, when another
 * organization verified the domain first, even in a race.
 */
export const checkDomain = verb(async (db, actor, input: { orgId: string; domainId: string }, now): Promise<DomainSummary> => {
  await authorizeOrg(db, actor, input.orgId, "org.sso.manage");
  if (!isUuid(input.domainId)) throw domainNotFound();
  const [row] = await db
    .select()
    .from(orgDomains)
    .where(and(eq(orgDomains.id, input.domainId), eq(orgDomains.orgId, input.orgId)));
  if (!row) throw domainNotFound();
  if (row.status !== "verified") await refuseIfVerifiedElsewhere(db, row.orgId, row.domain);
  // Outside any transaction: a slow DNS server must not hold a lock.
  const lookup = await resolveTxt(row.domain);
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage");
    const [locked] = await tx
      .select()
      .from(orgDomains)
      .where(and(eq(orgDomains.id, row.id), eq(orgDomains.orgId, input.orgId)))
      .for("update");
    if (!locked) throw domainNotFound();
    const applied = await applyLookup(tx, locked, lookup, now, actor);
    // Thrown inside the transaction: the loser's row stays exactly as it was.
    if (applied.lostRace) throw verifiedElsewhere(row.domain);
    return toSummary(applied.row);
  });
});

async function refuseIfVerifiedElsewhere(db: Db, orgId: string, domain: string): Promise<void> {
  const [held] = await db
    .select({ id: orgDomains.id })
    .from(orgDomains)
    .where(and(eq(orgDomains.domain, domain), eq(orgDomains.status, "verified"), ne(orgDomains.orgId, orgId)))
    .limit(1);
  if (held) throw verifiedElsewhere(domain);
}
