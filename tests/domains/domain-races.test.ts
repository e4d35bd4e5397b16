import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { orgDomains } from "@/db/schema";
import { checkDomain, claimDomain, recheckDueDomains } from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { attempt, buildWorld, createOrganization, describeError, type World } from "../membership/fixtures";
import { DomainError } from "@/lib/membership/errors";
import { domainRow, freshDomain, useDnsServer } from "./helpers";

/** Races only mean something with several connections at once: the Postgres server only. */
describe.each(testTargets().filter((k) => k === "postgres"))("domain races on %s", (kind) => {
  const database = useTestDatabase(kind);
  const dns = useDnsServer();
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });

  async function bothClaim(name: string) {
    const a = await claimDomain(database.db, w.actors.owner, { orgId: w.org.id, domain: name });
    const b = await claimDomain(database.db, w.foreign.owner, { orgId: w.foreign.org.id, domain: name });
    dns.server.records.set(name, [a.record.value, b.record.value]);
    return { a, b };
  }

  it("two organizations verifying one domain at once: exactly one wins, the other is refused cleanly (10 rounds)", async () => {
    const other = database.connectAgain(4);
    for (let round = 0; round < 10; round++) {
      const name = freshDomain("race");
      const { a, b } = await bothClaim(name);
      const outcomes = await Promise.all([
        attempt(() => checkDomain(database.db, w.actors.owner, { orgId: w.org.id, domainId: a.id })),
        attempt(() => checkDomain(other.db, w.foreign.owner, { orgId: w.foreign.org.id, domainId: b.id })),
      ]);
      const wins = outcomes.filter((o) => o.ok);
      const losses = outcomes.filter((o) => !o.ok);
      expect(wins, `round ${round}: ${outcomes.map((o) => (o.ok ? "ok" : describeError(o.error))).join(", ")}`).toHaveLength(1);
      const refusal = losses[0]!.ok ? null : (losses[0] as { error: unknown }).error;
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: "CONFLICT" });
      const rows = await database.db.select().from(orgDomains).where(eq(orgDomains.domain, name));
      expect(rows.map((r) => r.status).sort()).toEqual(["pending", "verified"]);
    }
  });

  it("the unique index decides when both passed the first look: the later one is refused and its row left as it was", async () => {
    const name = freshDomain("late");
    const { a, b } = await bothClaim(name);
    // B's lookup is answered late: B has passed its "verified elsewhere?" look before A verifies.
    dns.server.delays.set(name, 1000);
    const late = attempt(() => checkDomain(database.db, w.foreign.owner, { orgId: w.foreign.org.id, domainId: b.id }));
    await vi.waitFor(() => expect(dns.server.queries).toContain(name));
    dns.server.delays.delete(name);
    const other = database.connectAgain(2);
    expect((await checkDomain(other.db, w.actors.owner, { orgId: w.org.id, domainId: a.id })).status).toBe("verified");
    const before = await domainRow(database.db, b.id);
    const outcome = await late;
    expect(outcome.ok ? "succeeded" : describeError(outcome.error)).toMatch(
      /^DomainError CONFLICT: .*already verified by another organization/,
    );
    expect(await domainRow(database.db, b.id)).toEqual(before);
  });

  it("two scheduled checkers at once look each due domain up exactly once", async () => {
    const names = Array.from({ length: 30 }, () => freshDomain("due"));
    const now = new Date(Date.now() + 60 * 60_000);
    // Rows of a fresh organization, due now (inserted as claimDomain would, past its 20-per-organization limit).
    const org = await createOrganization(database.db);
    await database.db.insert(orgDomains).values(
      names.map((domain) => ({
        orgId: org.id,
        domain,
        verificationToken: `mc-domain-verification=${domain}`,
        nextCheckAt: new Date(now.getTime() - 1000),
      })),
    );
    for (const name of names) dns.server.records.set(name, [`mc-domain-verification=${name}`]);
    dns.server.queries.length = 0;
    const other = database.connectAgain(4);
    const drain = async (db: typeof database.db) => {
      let checked = 0;
      for (let r = await recheckDueDomains(db, { now, limit: 4 }); r.checked > 0; r = await recheckDueDomains(db, { now, limit: 4 }))
        checked += r.checked;
      return checked;
    };
    const [one, two] = await Promise.all([drain(database.db), drain(other.db)]);
    expect(one).toBeGreaterThan(0);
    expect(two).toBeGreaterThan(0);
    for (const name of names)
      expect(
        dns.server.queries.filter((q) => q === name),
        name,
      ).toHaveLength(1);
    const rows = await database.db.select().from(orgDomains).where(eq(orgDomains.orgId, org.id));
    expect(rows.map((r) => r.status)).toEqual(names.map(() => "verified"));
  });
});
