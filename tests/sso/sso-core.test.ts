import { and, count, eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import {
  accounts,
  activity,
  invitations,
  organizationMemberships,
  orgDomains,
  projectMemberships,
  sessions,
  ssoConnections,
  ssoDefaultGrants,
  users,
  samlAssertionIds,
} from "@/db/schema";
import {
  completeSsoSignIn,
  emailLinkPolicy,
  findSsoForEmail,
  getSsoSettings,
  removeDomain,
  removeSsoConnection,
  updateSsoSettings,
} from "@/lib/membership";
import type { SsoAttempt } from "@/lib/membership/sso/sso-attempts";
import { beginSsoAttempt, newSsoState, takeSsoAttempt } from "@/lib/membership/sso/sso-attempts";
import { SsoError, type SsoFailureReason } from "@/lib/sso/types";
import { pruneExpired } from "@/lib/prune";
import { testTargets, useTestDatabase } from "../db";
import {
  attempt,
  buildWorld,
  expectDomainError,
  expectNothingChanged,
  projectRoleOf,
  orgRoleOf,
  worldOrgIds,
  type World,
} from "../membership/fixtures";

/**
 * The rules of a sign-in through single sign-on once the protocol library has checked the
 * provider's answer (lib/membership/sso/complete-sso-sign-in.ts), and the settings verbs, on a
 * real database. The protocol checks themselves are tested in oidc.test.ts and saml.test.ts.
 */

async function makeConnection(db: Db, orgId: string, values: Partial<typeof ssoConnections.$inferInsert> = {}) {
  const [row] = await db
    .insert(ssoConnections)
    .values({ orgId, kind: "oidc", name: "Test IdP", oidcIssuer: "https://idp.example", oidcClientId: "c", ...values })
    .returning();
  return row!;
}

async function verifyDomain(db: Db, orgId: string, domain: string, status: "verified" | "pending" | "failed" = "verified") {
  await db.insert(orgDomains).values({ orgId, domain, verificationToken: `mc-domain-verification=${randomUUID()}`, status });
}

/** Members plus pending invitations: what the seat limit counts. */
async function seatsUsed(db: Db, orgId: string): Promise<number> {
  const [m] = await db.select({ n: count() }).from(organizationMemberships).where(eq(organizationMemberships.orgId, orgId));
  const [i] = await db
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending")));
  return m!.n + i!.n;
}

const domainOfWorld = (w: World) => w.actors.owner.email.split("@")[1]!;
const signIn = (connectionId: string, extra: Partial<SsoAttempt> = {}): SsoAttempt => ({
  connectionId,
  purpose: "sign_in",
  callbackPath: "/orgs",
  startedById: null,
  codeVerifier: null,
  nonce: null,
  samlRequestId: null,
  ...extra,
});

async function expectSsoError(promise: Promise<unknown>, reason: SsoFailureReason) {
  const outcome = await attempt(() => promise);
  expect(outcome.ok, `the sign-in should have been refused: ${JSON.stringify(outcome)}`).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error).toBeInstanceOf(SsoError);
  expect((outcome.error as SsoError).reason).toBe(reason);
}

describe.each(testTargets())("single sign-on rules on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let connection: Awaited<ReturnType<typeof makeConnection>>;
  beforeAll(async () => {
    w = await buildWorld(database.db);
    connection = await makeConnection(database.db, w.org.id, { enabled: true, testedAt: new Date() });
    await verifyDomain(database.db, w.org.id, domainOfWorld(w));
    await database.db
      .insert(ssoDefaultGrants)
      .values({ connectionId: connection.id, orgId: w.org.id, projectId: w.project.id, role: "read_only" });
  });

  it("lets a new person of a verified domain join as Organization Member with the default grants, the connection as actor", async () => {
    const db = database.db;
    const email = `new.${randomUUID().slice(0, 8)}@${domainOfWorld(w)}`;
    const outcome = await completeSsoSignIn(db, {
      attempt: signIn(connection.id),
      profile: { subject: "sub-new", email: email.toUpperCase(), name: "New Person" },
    });
    expect(outcome.kind).toBe("signed_in");
    if (outcome.kind !== "signed_in") return;
    expect(outcome.joined).toBe(true);
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user?.name).toBe("New Person");
    expect(await orgRoleOf(db, w.org.id, user!.id)).toBe("member");
    expect(await projectRoleOf(db, w.project.id, user!.id)).toBe("read_only");
    const [session] = await db.select().from(sessions).where(eq(sessions.sessionToken, outcome.sessionToken));
    expect(session?.userId).toBe(user!.id);
    const [account] = await db.select().from(accounts).where(eq(accounts.userId, user!.id));
    expect(account).toMatchObject({ provider: `sso:${connection.id}`, providerAccountId: "sub-new" });
    const [joined] = await db
      .select()
      .from(activity)
      .where(and(eq(activity.action, "sso.member_joined"), eq(activity.targetUserId, user!.id)));
    expect(joined).toMatchObject({ actorId: null, actorEmail: null, actorConnectionId: connection.id, actorConnectionName: "Test IdP" });
  });

  it("links the existing account with that address instead of making a second one, and does not join a member twice", async () => {
    const db = database.db;
    const before = await orgRoleOf(db, w.org.id, w.actors.admin.id);
    const outcome = await completeSsoSignIn(db, {
      attempt: signIn(connection.id),
      profile: { subject: "sub-admin", email: w.actors.admin.email, name: null },
    });
    expect(outcome).toMatchObject({ kind: "signed_in", userId: w.actors.admin.id, joined: false });
    expect(await orgRoleOf(db, w.org.id, w.actors.admin.id)).toBe(before);
    const [{ n }] = (await db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(eq(users.email, w.actors.admin.email))) as [{ n: number }];
    expect(n).toBe(1);
  });

  it("lets someone with a pending invitation in without joining: accepting it decides their roles", async () => {
    const db = database.db;
    const email = `invited.${randomUUID().slice(0, 8)}@${domainOfWorld(w)}`;
    await db.insert(invitations).values({
      orgId: w.org.id,
      email,
      tokenHash: randomUUID(),
      expiresAt: new Date(Date.now() + 3_600_000),
      lastSentAt: new Date(),
    });
    const outcome = await completeSsoSignIn(db, { attempt: signIn(connection.id), profile: { subject: "inv", email, name: null } });
    expect(outcome).toMatchObject({ kind: "signed_in", joined: false });
    if (outcome.kind !== "signed_in") return;
    expect(await orgRoleOf(db, w.org.id, outcome.userId)).toBeNull();
  });

  it("trusts the provider for the organization's verified domains only", async () => {
    const db = database.db;
    await verifyDomain(db, w.org.id, `pending-${w.tag}.example`, "pending");
    await verifyDomain(db, w.org.id, `failed-${w.tag}.example`, "failed");
    await verifyDomain(db, w.foreign.org.id, `foreign-${w.tag}.example`);
    for (const email of [`a@pending-${w.tag}.example`, `a@failed-${w.tag}.example`, `a@foreign-${w.tag}.example`, "someone@gmail.com"]) {
      await expectNothingChanged(db, worldOrgIds(w), () =>
        expectSsoError(
          completeSsoSignIn(db, { attempt: signIn(connection.id), profile: { subject: "x", email, name: null } }),
          "domain_not_verified",
        ),
      );
    }
  });

  it("refuses a sign-in on a connection that is off, but lets its Owner test it", async () => {
    const db = database.db;
    await db.update(ssoConnections).set({ enabled: false }).where(eq(ssoConnections.id, connection.id));
    try {
      await expectSsoError(
        completeSsoSignIn(db, { attempt: signIn(connection.id), profile: { subject: "s", email: w.actors.member.email, name: null } }),
        "connection_disabled",
      );
      const tested = await completeSsoSignIn(db, {
        attempt: signIn(connection.id, { purpose: "test", startedById: w.actors.owner.id }),
        profile: { subject: "s", email: w.actors.owner.email, name: null },
      });
      expect(tested).toEqual({ kind: "tested", orgId: w.org.id });
    } finally {
      await db.update(ssoConnections).set({ enabled: true }).where(eq(ssoConnections.id, connection.id));
    }
  });

  it("refuses a test signed in as someone else, or started by someone who is not an Owner", async () => {
    const db = database.db;
    await expectSsoError(
      completeSsoSignIn(db, {
        attempt: signIn(connection.id, { purpose: "test", startedById: w.actors.owner.id }),
        profile: { subject: "s", email: w.actors.admin.email, name: null },
      }),
      "test_mismatch",
    );
    await expectSsoError(
      completeSsoSignIn(db, {
        attempt: signIn(connection.id, { purpose: "test", startedById: w.actors.admin.id }),
        profile: { subject: "s", email: w.actors.admin.email, name: null },
      }),
      "test_mismatch",
    );
  });

  it("keeps a name that breaks the display-name rule out of the account", async () => {
    const db = database.db;
    const email = `named.${randomUUID().slice(0, 8)}@${domainOfWorld(w)}`;
    await completeSsoSignIn(db, { attempt: signIn(connection.id), profile: { subject: "n", email, name: "evil\u202Eexe.txt" } });
    const [user] = await db.select({ name: users.name }).from(users).where(eq(users.email, email));
    expect(user?.name).toBeNull();
  });

  it("refuses a join past the seat limit, changing nothing", async () => {
    const db = database.db;
    const full = await buildWorld(db);
    const c = await makeConnection(db, full.org.id, { enabled: true, testedAt: new Date() });
    await verifyDomain(db, full.org.id, domainOfWorld(full));
    const seatsTaken = await seatsUsed(db, full.org.id);
    await db.execute(sql`insert into invitations (org_id, email, token_hash, expires_at, last_sent_at)
      select ${full.org.id}, 'filler' || g || '@filler.example', md5(random()::text || g), now() + interval '1 day', now()
      from generate_series(1, ${1000 - seatsTaken}) g`);
    const email = `late.${randomUUID().slice(0, 8)}@${domainOfWorld(full)}`;
    await expectNothingChanged(db, worldOrgIds(full), () =>
      expectSsoError(completeSsoSignIn(db, { attempt: signIn(c.id), profile: { subject: "late", email, name: null } }), "seat_limit"),
    );
    // A member already in the organization still signs in.
    const member = await completeSsoSignIn(db, {
      attempt: signIn(c.id),
      profile: { subject: "m", email: full.actors.member.email, name: null },
    });
    expect(member.kind).toBe("signed_in");
  });

  it("takes an attempt once, only for its connection, and only within ten minutes", async () => {
    const db = database.db;
    const state = newSsoState();
    await beginSsoAttempt(db, state, { connectionId: connection.id, purpose: "sign_in", codeVerifier: "verifier-123", nonce: "n" });
    const stored = await db.execute(sql`select code_verifier_sealed from sso_attempts`);
    expect(JSON.stringify(stored)).not.toContain("verifier-123");
    expect(JSON.stringify(stored)).not.toContain(state);
    expect(await takeSsoAttempt(db, state, randomUUID())).toBeNull();
    expect(await takeSsoAttempt(db, state, connection.id)).toMatchObject({ codeVerifier: "verifier-123", nonce: "n" });
    expect(await takeSsoAttempt(db, state, connection.id)).toBeNull();
    const old = newSsoState();
    await beginSsoAttempt(db, old, { connectionId: connection.id, purpose: "sign_in" }, new Date(Date.now() - 11 * 60 * 1000));
    expect(await takeSsoAttempt(db, old, connection.id)).toBeNull();
  });

  it("prunes attempts past their ten minutes and assertion ids past their validity, and nothing younger", async () => {
    const db = database.db;
    const now = new Date();
    const young = newSsoState();
    await beginSsoAttempt(db, newSsoState(), { connectionId: connection.id, purpose: "sign_in" }, new Date(now.getTime() - 11 * 60_000));
    await beginSsoAttempt(db, young, { connectionId: connection.id, purpose: "sign_in" }, now);
    await db.insert(samlAssertionIds).values([
      { connectionId: connection.id, assertionId: "_old", expiresAt: new Date(now.getTime() - 1000) },
      { connectionId: connection.id, assertionId: "_young", expiresAt: new Date(now.getTime() + 60_000) },
    ]);
    const pruned = await pruneExpired(db, { now });
    expect(pruned.ssoAttempts).toBeGreaterThanOrEqual(1);
    expect(pruned.samlAssertionIds).toBe(1);
    expect(await takeSsoAttempt(db, young, connection.id)).not.toBeNull();
    expect((await db.select().from(samlAssertionIds)).map((r) => r.assertionId)).toEqual(["_young"]);
  });

  describe("settings", () => {
    it("lets an Owner read them; Members, outsiders and other organizations' Owners get refused", async () => {
      const settings = await getSsoSettings(database.db, w.actors.owner, { orgId: w.org.id });
      expect(settings.connection).toMatchObject({ id: connection.id, hasClientSecret: false });
      expect(JSON.stringify(settings)).not.toContain("Sealed");
      expect(settings.verifiedDomains).toContain(domainOfWorld(w));
      await expectDomainError(getSsoSettings(database.db, w.actors.member, { orgId: w.org.id }), "FORBIDDEN");
      const outsider = await attempt(() => getSsoSettings(database.db, w.actors.outsider, { orgId: w.org.id }));
      expect(outsider.ok).toBe(false);
      const foreignOwner = await attempt(() => getSsoSettings(database.db, w.foreign.owner, { orgId: w.org.id }));
      expect(foreignOwner.ok).toBe(false);
      await expectDomainError(getSsoSettings(database.db, null, { orgId: w.org.id }), "UNAUTHENTICATED");
    });

    it("refuses every change by someone who is not an Owner of the organization, changing nothing", async () => {
      const db = database.db;
      for (const actor of [w.actors.member, w.actors.admin, w.actors.outsider, w.foreign.owner, null]) {
        await expectNothingChanged(db, worldOrgIds(w), async () => {
          const result = await attempt(() => updateSsoSettings(db, actor, { orgId: w.org.id, enabled: false, requireSso: false }));
          expect(result.ok).toBe(false);
          const removal = await attempt(() => removeSsoConnection(db, actor, { orgId: w.org.id }));
          expect(removal.ok).toBe(false);
        });
      }
    });

    it("switches a connection on only once tested, and requires SSO only with a verified domain", async () => {
      const db = database.db;
      const other = await buildWorld(db);
      const c = await makeConnection(db, other.org.id);
      await expectDomainError(updateSsoSettings(db, other.actors.owner, { orgId: other.org.id, enabled: true }), "INVALID");
      await db.update(ssoConnections).set({ testedAt: new Date() }).where(eq(ssoConnections.id, c.id));
      expect(await updateSsoSettings(db, other.actors.owner, { orgId: other.org.id, enabled: true })).toEqual({
        enabled: true,
        requireSso: false,
      });
      await expectDomainError(updateSsoSettings(db, other.actors.owner, { orgId: other.org.id, requireSso: true }), "INVALID");
      await verifyDomain(db, other.org.id, domainOfWorld(other));
      expect(await updateSsoSettings(db, other.actors.owner, { orgId: other.org.id, requireSso: true })).toEqual({
        enabled: true,
        requireSso: true,
      });
      // Switching off ends "Require SSO" too.
      expect(await updateSsoSettings(db, other.actors.owner, { orgId: other.org.id, enabled: false })).toEqual({
        enabled: false,
        requireSso: false,
      });
      // Another organization's project cannot be a default grant.
      await expectDomainError(
        updateSsoSettings(db, other.actors.owner, { orgId: other.org.id, defaultGrants: [{ projectId: w.project.id, role: "admin" }] }),
        "NOT_FOUND",
      );
      await updateSsoSettings(db, other.actors.owner, {
        orgId: other.org.id,
        defaultGrants: [{ projectId: other.project.id, role: "admin" }],
      });
      expect(await db.select().from(ssoDefaultGrants).where(eq(ssoDefaultGrants.connectionId, c.id))).toHaveLength(1);
      const log = await db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, other.org.id), eq(activity.action, "sso.settings_changed")));
      expect(log.length).toBeGreaterThanOrEqual(4);
    });
  });

  describe("home-realm discovery and Require SSO", () => {
    it("sends an address of a verified domain to the switched-on connection, and nothing else", async () => {
      const db = database.db;
      expect(await findSsoForEmail(db, w.actors.member.email)).toMatchObject({ connectionId: connection.id, orgId: w.org.id });
      expect(await findSsoForEmail(db, "someone@elsewhere.example")).toBeNull();
      expect(await findSsoForEmail(db, `x@pending-${w.tag}.example`)).toBeNull();
    });

    it("stops sending a domain's addresses to the connection once the domain fails or is removed; the address's case does not matter", async () => {
      const db = database.db;
      const domain = `routed-${w.tag}.example`;
      await verifyDomain(db, w.org.id, domain);
      const routed = { connectionId: connection.id, orgId: w.org.id };
      expect(await findSsoForEmail(db, `Someone@${domain.toUpperCase()}`)).toMatchObject(routed);
      await db.update(orgDomains).set({ status: "failed" }).where(eq(orgDomains.domain, domain));
      expect(await findSsoForEmail(db, `someone@${domain}`)).toBeNull();
      const [row] = await db.update(orgDomains).set({ status: "verified" }).where(eq(orgDomains.domain, domain)).returning();
      expect(await findSsoForEmail(db, `someone@${domain}`)).toMatchObject(routed);
      await removeDomain(db, w.actors.owner, { orgId: w.org.id, domainId: row!.id });
      expect(await findSsoForEmail(db, `someone@${domain}`)).toBeNull();
    });

    it("refuses email links to addresses of an enforced domain, except the organization's Owners (break-glass)", async () => {
      const db = database.db;
      expect(await emailLinkPolicy(db, w.actors.member.email)).toEqual({ allowed: true, breakGlass: null });
      await db.update(ssoConnections).set({ requireSso: true }).where(eq(ssoConnections.id, connection.id));
      try {
        expect(await emailLinkPolicy(db, w.actors.member.email)).toMatchObject({ allowed: false });
        expect(await emailLinkPolicy(db, `nobody.yet@${domainOfWorld(w)}`)).toMatchObject({ allowed: false });
        expect(await emailLinkPolicy(db, w.actors.owner.email)).toEqual({
          allowed: true,
          breakGlass: { orgId: w.org.id, userId: w.actors.owner.id },
        });
        expect(await emailLinkPolicy(db, "someone@elsewhere.example")).toEqual({ allowed: true, breakGlass: null });
      } finally {
        await db.update(ssoConnections).set({ requireSso: false }).where(eq(ssoConnections.id, connection.id));
      }
    });
  });

  // PGlite runs one transaction at a time: races are proven on the server only.
  if (kind === "postgres")
    describe("under concurrent sign-ins", () => {
      it("one new person signing in eight times at once gets one account and one membership", async () => {
        const other = database.connectAgain(10);
        const email = `racer.${randomUUID().slice(0, 8)}@${domainOfWorld(w)}`;
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            completeSsoSignIn(i % 2 ? other.db : database.db, {
              attempt: signIn(connection.id),
              profile: { subject: "racer", email, name: null },
            }),
          ),
        );
        expect(results.every((r) => r.kind === "signed_in")).toBe(true);
        const found = await database.db.select().from(users).where(eq(users.email, email));
        expect(found).toHaveLength(1);
        const memberships = await database.db
          .select()
          .from(organizationMemberships)
          .where(eq(organizationMemberships.userId, found[0]!.id));
        expect(memberships).toHaveLength(1);
        expect(await database.db.select().from(projectMemberships).where(eq(projectMemberships.userId, found[0]!.id))).toHaveLength(1);
        expect(results.filter((r) => r.kind === "signed_in" && r.joined)).toHaveLength(1);
      });

      it("with one seat left, of eight new people signing in at once exactly one joins", async () => {
        const db = database.db;
        const full = await buildWorld(db);
        const c = await makeConnection(db, full.org.id, { enabled: true, testedAt: new Date() });
        await verifyDomain(db, full.org.id, domainOfWorld(full));
        await db.execute(sql`insert into invitations (org_id, email, token_hash, expires_at, last_sent_at)
        select ${full.org.id}, 'filler' || g || '@filler.example', md5(random()::text || g), now() + interval '1 day', now()
        from generate_series(1, 999 - (
          (select count(*) from organization_memberships where org_id = ${full.org.id}) +
          (select count(*) from invitations where org_id = ${full.org.id} and status = 'pending'))::int) g`);
        const other = database.connectAgain(10);
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            attempt(() =>
              completeSsoSignIn(i % 2 ? other.db : db, {
                attempt: signIn(c.id),
                profile: { subject: `p${i}`, email: `p${i}.${randomUUID().slice(0, 6)}@${domainOfWorld(full)}`, name: null },
              }),
            ),
          ),
        );
        expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
        expect(outcomes.filter((o) => !o.ok && o.error instanceof SsoError && o.error.reason === "seat_limit")).toHaveLength(7);
        expect(await seatsUsed(db, full.org.id)).toBe(1000);
      });
    });
});
