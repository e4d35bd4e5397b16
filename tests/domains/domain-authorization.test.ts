import { beforeAll, describe, expect, it } from "vitest";
import { checkDomain, claimDomain, listDomains, removeDomain, type Actor } from "@/lib/membership";
import type { DomainErrorCode } from "@/lib/membership/errors";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, expectNothingChanged, worldOrgIds, type World } from "../membership/fixtures";
import { domainRow, useDnsServer } from "./helpers";

/**
 * Every domain verb as each actor that may not use it, on its own organization's ids and across
 * tenants: refused with the right code, and no row of either organization changed. The record of
 * the world's domain is in DNS, so a check that slipped through would verify it (a change).
 */
describe.each(testTargets())("domain verbs refuse those who may not, on %s", (kind) => {
  const database = useTestDatabase(kind);
  const dns = useDnsServer();
  let w: World;
  let foreignDomainId: string;
  beforeAll(async () => {
    w = await buildWorld(database.db);
    // The world's domain of A, and one of B for the cross-tenant calls, both with their record published.
    dns.server.records.set(w.domain.name, [(await domainRow(database.db, w.domain.id))!.verificationToken]);
    const foreign = await claimDomain(database.db, w.foreign.owner, { orgId: w.foreign.org.id, domain: `b-${w.tag}.example.com` });
    dns.server.records.set(foreign.domain, [foreign.record.value]);
    foreignDomainId = foreign.id;
  });

  type Call = (actor: Actor | null, ids: { orgId: string; domainId: string }) => Promise<unknown>;
  const verbs: [string, Call][] = [
    ["claimDomain", (a, ids) => claimDomain(database.db, a, { orgId: ids.orgId, domain: `new-${w.tag}.example.com` })],
    ["checkDomain", (a, ids) => checkDomain(database.db, a, ids)],
    ["removeDomain", (a, ids) => removeDomain(database.db, a, ids)],
    ["listDomains", (a, ids) => listDomains(database.db, a, { orgId: ids.orgId })],
  ];

  it.each(verbs)("%s refuses a Member, a Project Admin, a signed-out caller and another tenant", async (verb, call) => {
    const own = { orgId: w.org.id, domainId: w.domain.id };
    type Refusal = [Actor | null, { orgId: string; domainId: string }, DomainErrorCode];
    const byId = verb === "checkDomain" || verb === "removeDomain";
    const refusals: Refusal[] = [
      [w.actors.member, own, "FORBIDDEN"],
      [w.actors.admin, own, "FORBIDDEN"],
      [null, own, "UNAUTHENTICATED"],
      // A member of organization B only, and B's Owner, do not see organization A at all.
      [w.actors.outsider, own, "NOT_FOUND"],
      [w.foreign.owner, own, "NOT_FOUND"],
      // B's Owner with B's organization id and A's domain id: the domain is looked up in B only.
      ...(byId ? [[w.foreign.owner, { orgId: w.foreign.org.id, domainId: w.domain.id }, "NOT_FOUND"] satisfies Refusal] : []),
      // A's Owner with B's ids, and with B's domain under A's organization id.
      [w.actors.owner, { orgId: w.foreign.org.id, domainId: foreignDomainId }, "NOT_FOUND"],
      ...(byId ? [[w.actors.owner, { orgId: w.org.id, domainId: foreignDomainId }, "NOT_FOUND"] satisfies Refusal] : []),
    ];
    for (const [actor, ids, code] of refusals)
      await expectNothingChanged(database.db, worldOrgIds(w), () => expectDomainError(call(actor, ids), code));
  });

  it("lets the Owner through (so the refusals above are the guard's)", async () => {
    const before = JSON.stringify(await listDomains(database.db, w.actors.owner, { orgId: w.org.id }));
    expect((await checkDomain(database.db, w.actors.owner, { orgId: w.org.id, domainId: w.domain.id })).status).toBe("verified");
    expect(JSON.stringify(await listDomains(database.db, w.actors.owner, { orgId: w.org.id }))).not.toBe(before);
  });
});
