import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activity, organizationMemberships, orgDomains } from "@/db/schema";
import { checkDomain, claimDomain, listDomains, MAX_DOMAINS_PER_ORGANIZATION, recheckDueDomains, removeDomain } from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, createOrganization, createUser, expectDomainError, type World } from "../membership/fixtures";
import { domainRow, freshDomain, useDnsServer } from "./helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(testTargets())("verified domains on %s", (kind) => {
  const database = useTestDatabase(kind);
  const dns = useDnsServer();
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });
  const db = () => database.db;
  const owner = () => w.actors.owner;
  const claim = (domain: string, orgId = w.org.id, actor = owner()) => claimDomain(db(), actor, { orgId, domain });

  it("claims a domain, names its TXT record, and verifies it once the exact record is in DNS", async () => {
    const name = freshDomain();
    const claimed = await claim(`  ${name.toUpperCase()}. `);
    expect(claimed).toMatchObject({ domain: name, status: "pending", record: { type: "TXT", name } });
    expect(claimed.record.value).toMatch(/^mc-domain-verification=[A-Za-z0-9_-]{32}$/);

    dns.server.records.set(name, ["v=spf1 -all", claimed.record.value]);
    const checked = await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id });
    expect(checked).toMatchObject({ status: "verified", failure: null });
    expect(checked.verifiedAt).toBeInstanceOf(Date);
    const actions = await db()
      .select({ action: activity.action, detail: activity.detail })
      .from(activity)
      .where(eq(activity.orgId, w.org.id));
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: "domain.claimed", detail: name },
        { action: "domain.verified", detail: name },
      ]),
    );
  });

  it("stores an international name in punycode", async () => {
    const label = `bücher-${Date.now().toString(36)}`;
    const claimed = await claim(`${label}.example.de`);
    expect(claimed.domain).toBe(`${new URL(`http://${label}.example.de`).hostname}`);
    expect(claimed.domain).toMatch(/^xn--/);
  });

  it("does not verify on a record whose value differs, nor on a missing name, and says why", async () => {
    const name = freshDomain();
    const claimed = await claim(name);
    dns.server.records.set(name, [`${claimed.record.value}x`, claimed.record.value.slice(0, -1), `"${claimed.record.value}"`]);
    const wrong = await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id });
    expect(wrong.status).toBe("pending");
    expect(wrong.failure).toBe(`No TXT record ${claimed.record.value} found on ${name}.`);
    dns.server.records.delete(name);
    const missing = await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id });
    expect(missing.status).toBe("pending");
    expect(missing.failure).toContain("does not exist in DNS");
  });

  it("joins the chunks of one TXT record, and reads an answer too long for UDP", async () => {
    const name = freshDomain();
    const claimed = await claim(name);
    dns.server.chunkSize = 10;
    try {
      dns.server.records.set(name, ["x".repeat(600), claimed.record.value]);
      expect((await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id })).status).toBe("verified");
    } finally {
      dns.server.chunkSize = 255;
    }
  });

  it.each([["gmail.com"], ["GoogleMail.com"], ["outlook.com"], ["proton.me"], ["mail.yahoo.com"], ["163.com"]])(
    "refuses the public mail domain %s",
    async (name) => {
      const error = await expectDomainError(claim(name), "INVALID");
      expect(error.message).toMatch(/public mail service/);
    },
  );

  it.each([
    ["localhost"],
    ["192.168.1.10"],
    ["[::1]"],
    ["::1"],
    ["https://acme.com"],
    ["acme.com/path"],
    ["owner@acme.com"],
    ["acme..com"],
    ["-acme.com"],
    ["acme_corp.com"],
    ["*.acme.com"],
    ["acme.123"],
    [`${"a".repeat(64)}.com`],
    [""],
  ])("refuses the invalid name %j", async (name) => {
    await expectDomainError(claim(name), "INVALID");
  });

  it("refuses the 21st domain of an organization", async () => {
    const org = await createOrganization(db());
    const boss = await createUser(db(), "boss");
    await db().insert(organizationMemberships).values({ orgId: org.id, userId: boss.id, role: "owner" });
    for (let i = 0; i < MAX_DOMAINS_PER_ORGANIZATION; i++) await claim(freshDomain("many"), org.id, boss);
    await expectDomainError(claim(freshDomain("many"), org.id, boss), "LIMIT_REACHED");
    expect(await listDomains(db(), boss, { orgId: org.id })).toHaveLength(MAX_DOMAINS_PER_ORGANIZATION);
  });

  it("refuses a domain another organization verified, without naming it, and a domain listed twice", async () => {
    const name = freshDomain();
    const theirs = await claim(name, w.foreign.org.id, w.foreign.owner);
    dns.server.records.set(name, [theirs.record.value]);
    expect((await checkDomain(db(), w.foreign.owner, { orgId: w.foreign.org.id, domainId: theirs.id })).status).toBe("verified");
    const refused = await expectDomainError(claim(name), "CONFLICT");
    expect(refused.message).toContain("another organization");
    expect(refused.message).not.toContain(w.foreign.org.name);
    await expectDomainError(claim(name, w.foreign.org.id, w.foreign.owner), "CONFLICT");
  });

  it("fails a verified domain whose record is gone at the next scheduled check", async () => {
    const name = freshDomain();
    const claimed = await claim(name);
    dns.server.records.set(name, [claimed.record.value]);
    await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id });
    const row = (await domainRow(db(), claimed.id))!;
    expect(row.nextCheckAt.getTime() - row.lastCheckedAt!.getTime()).toBe(DAY);

    // Still there a day later: stays verified, next check one more day away.
    const dayLater = new Date(row.nextCheckAt.getTime() + 1000);
    await recheckDueDomains(db(), { now: dayLater });
    expect(await domainRow(db(), claimed.id)).toMatchObject({ status: "verified", lastCheckedAt: dayLater });

    dns.server.records.set(name, ["v=spf1 -all"]);
    const twoDays = new Date(dayLater.getTime() + DAY + 1000);
    const result = await recheckDueDomains(db(), { now: twoDays });
    expect(result.failed).toBeGreaterThanOrEqual(1);
    const failed = (await domainRow(db(), claimed.id))!;
    expect(failed).toMatchObject({ status: "failed", failure: `No TXT record ${claimed.record.value} found on ${name}.` });
    const [record] = await db()
      .select()
      .from(activity)
      .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "domain.failed"), eq(activity.detail, name)));
    expect(record).toMatchObject({ actorId: null, actorEmail: null });
    // A failed domain is no longer looked at by the schedule; "Check now" verifies it again once the record is back.
    dns.server.queries.length = 0;
    await recheckDueDomains(db(), { now: new Date(twoDays.getTime() + 30 * DAY) });
    expect(dns.server.queries).not.toContain(name);
    dns.server.records.set(name, [claimed.record.value]);
    expect((await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id })).status).toBe("verified");
  });

  it("keeps a verified domain through a DNS failure that proves nothing, and tries again within the hour", async () => {
    const name = freshDomain();
    const claimed = await claim(name);
    dns.server.records.set(name, [claimed.record.value]);
    await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id });
    dns.server.records.set(name, "servfail");
    const later = new Date(Date.now() + DAY + 1000);
    await recheckDueDomains(db(), { now: later });
    const row = (await domainRow(db(), claimed.id))!;
    expect(row.status).toBe("verified");
    expect(row.failure).toMatch(/SERVFAIL/);
    expect(row.nextCheckAt.getTime() - later.getTime()).toBe(HOUR);
  });

  it("checks a pending domain every 10 minutes, and fails it after 7 days without its record", async () => {
    const name = freshDomain();
    const claimed = await claim(name);
    expect(claimed.nextCheckAt!.getTime() - claimed.createdAt.getTime()).toBe(10 * 60_000);
    const soon = new Date(claimed.createdAt.getTime() + 10 * 60_000);
    await recheckDueDomains(db(), { now: soon });
    expect(await domainRow(db(), claimed.id)).toMatchObject({ status: "pending", nextCheckAt: new Date(soon.getTime() + 10 * 60_000) });
    const week = new Date(claimed.createdAt.getTime() + 7 * DAY);
    await recheckDueDomains(db(), { now: week });
    const row = (await domainRow(db(), claimed.id))!;
    expect(row.status).toBe("failed");
    expect(row.failure).toMatch(/^Not verified within 7 days\./);
  });

  it("removes a domain, which then verifies for nobody", async () => {
    const name = freshDomain();
    const claimed = await claim(name);
    dns.server.records.set(name, [claimed.record.value]);
    await checkDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id });
    expect(await removeDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id })).toEqual({ removed: name });
    expect(await domainRow(db(), claimed.id)).toBeNull();
    await expectDomainError(removeDomain(db(), owner(), { orgId: w.org.id, domainId: claimed.id }), "NOT_FOUND");
  });

  it("lets an organization-scope key of an Owner manage domains, and no project key", async () => {
    const orgKey = {
      ...owner(),
      apiKey: { id: crypto.randomUUID(), name: "k", orgId: w.org.id, scope: "organization" as const, projects: {} },
    };
    const projectKey = {
      ...orgKey,
      apiKey: { ...orgKey.apiKey, scope: "projects" as const, projects: { [w.project.id]: "admin" as const } },
    };
    expect((await claim(freshDomain(), w.org.id, orgKey)).status).toBe("pending");
    await expectDomainError(claim(freshDomain(), w.org.id, projectKey), "FORBIDDEN");
    await expectDomainError(listDomains(db(), projectKey, { orgId: w.org.id }), "FORBIDDEN");
  });

  it("lists only the organization's own domains", async () => {
    const mine = await listDomains(db(), owner(), { orgId: w.org.id });
    const rows = await db().select({ id: orgDomains.id }).from(orgDomains).where(eq(orgDomains.orgId, w.org.id));
    expect(mine.map((d) => d.id).sort()).toEqual(rows.map((r) => r.id).sort());
  });
});
