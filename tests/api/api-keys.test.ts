import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activity, apiIdempotencyKeys, apiKeys, invitations, organizationMemberships, projectMemberships, projects } from "@/db/schema";
import * as m from "@/lib/membership";
import { describeActivity } from "@/components/sentences";
import { pruneExpired } from "@/lib/prune";
import { lockWaiters, testTargets, until, useTestDatabase } from "../db";
import { DomainError, type DomainErrorCode } from "@/lib/membership/errors";
import {
  attempt,
  buildWorld,
  createUsers,
  describeError,
  expectDomainError,
  expectSecretShownOnce,
  snapshot,
  uniqueEmail,
  worldOrgIds,
  type World,
} from "../membership/fixtures";
import { api } from "./helpers";

const ORG = (w: World) => `/organizations/${w.org.id}`;
const P = (w: World) => `${ORG(w)}/projects/${w.project.id}`;

describe.each(testTargets())("API keys on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;

  const ownerKey = async (world: World, extra: Partial<m.CreateApiKeyInput> = {}) =>
    m.createApiKey(database.db, world.actors.owner, { orgId: world.org.id, name: "ci", scope: "organization", ...extra });

  describe("managing keys", () => {
    beforeAll(async () => {
      w = await buildWorld(database.db);
    });

    it("a secret is 32 random bytes behind a recognizable prefix, shown once and stored only as its hash", async () => {
      const key = await ownerKey(w);
      expectSecretShownOnce(key.secret, key.prefix, "mck_");
      const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(JSON.stringify(row)).not.toContain(key.secret);
      expect(row!.secretHash).toBe(m.hashApiKeySecret(key.secret));
      const listed = await m.listApiKeys(database.db, w.actors.owner, { orgId: w.org.id });
      const item = listed.find((k) => k.id === key.id)!;
      expect(item).toMatchObject({
        name: "ci",
        prefix: key.prefix,
        scope: "organization",
        createdByEmail: w.actors.owner.email,
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(JSON.stringify(listed)).not.toContain(key.secret);
      // Using the key shows in the list.
      await api(database.db, key.secret, "GET", "/organizations");
      expect(
        (await m.listApiKeys(database.db, w.actors.owner, { orgId: w.org.id })).find((k) => k.id === key.id)!.lastUsedAt,
      ).not.toBeNull();
    });

    it("only Organization Owners create, list and revoke keys; a key cannot manage keys", async () => {
      const input = { orgId: w.org.id, name: "x", scope: "organization" as const };
      for (const who of [w.actors.admin, w.actors.member, w.actors.readOnly]) {
        await expectDomainError(m.createApiKey(database.db, who, input), "FORBIDDEN");
        await expectDomainError(m.listApiKeys(database.db, who, { orgId: w.org.id }), "FORBIDDEN");
      }
      await expectDomainError(m.createApiKey(database.db, null, input), "UNAUTHENTICATED");
      await expectDomainError(m.createApiKey(database.db, w.foreign.owner, input), "NOT_FOUND");
      const key = await ownerKey(w);
      await expectDomainError(m.revokeApiKey(database.db, w.actors.admin, { orgId: w.org.id, keyId: key.id }), "FORBIDDEN");
      await expectDomainError(m.revokeApiKey(database.db, w.foreign.owner, { orgId: w.foreign.org.id, keyId: key.id }), "NOT_FOUND");
      const asKey = await m.authenticateApiKey(database.db, key.secret);
      await expectDomainError(m.createApiKey(database.db, asKey, input), "FORBIDDEN");
      expect((await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.revokedAt).toBeNull();
    });

    it("bad input is refused with a sentence and creates nothing", async () => {
      const before = await database.db.$count(apiKeys);
      const create = (input: object) =>
        m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "p", scope: "organization", ...input } as m.CreateApiKeyInput);
      const refusals: (readonly [object, DomainErrorCode])[] = [
        [{ name: " " }, "INVALID"],
        [{ name: "x".repeat(81) }, "INVALID"],
        ...["a\u0085b", "a\u009bb", "\u202eabc", "a\u2066b", "\u200b\u200c", "\u0301"].map((name) => [{ name }, "INVALID"] as const),
        [{ scope: "projects", projects: [] }, "INVALID"],
        [{ scope: "projects", projects: [{ projectId: w.project.id, role: "read_write" }] }, "INVALID"],
        [{ scope: "projects", projects: [{ projectId: w.foreign.project.id, role: "admin" }] }, "NOT_FOUND"],
        [{ expiresAt: new Date(Date.now() - 1000) }, "INVALID"],
      ];
      for (const [input, code] of refusals) await expectDomainError(create(input), code);
      expect(await database.db.$count(apiKeys)).toBe(before);
    });

    it("revoking takes effect on the next request, and creating and revoking are in the activity", async () => {
      const key = await ownerKey(w, { name: "to revoke" });
      expect((await api(database.db, key.secret, "GET", ORG(w))).status).toBe(200);
      await m.revokeApiKey(database.db, w.actors.owner, { orgId: w.org.id, keyId: key.id });
      const refused = await api(database.db, key.secret, "GET", ORG(w));
      expect(refused.status).toBe(401);
      expect(refused.body.code).toBe("UNAUTHENTICATED");
      await expectDomainError(m.revokeApiKey(database.db, w.actors.owner, { orgId: w.org.id, keyId: key.id }), "CONFLICT");
      const log = await database.db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, w.org.id)));
      expect(log.filter((a) => a.action === "api_key.created" && a.detail?.startsWith("to revoke"))).toHaveLength(1);
      expect(log.filter((a) => a.action === "api_key.revoked" && a.detail?.startsWith("to revoke"))).toHaveLength(1);
    });

    it("a change made with a key is in the activity with the key as actor", async () => {
      const key = await ownerKey(w, { name: "onboarding bot" });
      const email = uniqueEmail("bot", w.tag);
      const answer = await api(database.db, key.secret, "POST", `${P(w)}/invitations`, { body: { emails: [email], role: "read_only" } });
      expect(answer.status).toBe(200);
      const [row] = await database.db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, w.org.id), eq(activity.targetEmail, email)));
      expect(row).toMatchObject({
        action: "invitation.created",
        actorApiKeyId: key.id,
        actorApiKeyName: "onboarding bot",
        actorId: w.actors.owner.id,
      });
      const feed = await api(database.db, key.secret, "GET", `${P(w)}/activity`);
      expect(
        (feed.body.items as { targetEmail: string; actorApiKeyName: string }[]).find((a) => a.targetEmail === email)!.actorApiKeyName,
      ).toBe("onboarding bot");
    });
  });

  describe("a key never has more power than its creator has now", () => {
    it("an owner's organization key loses owner powers when the owner is demoted, and is revoked when they are removed", async () => {
      const world = await buildWorld(database.db);
      // A second owner so the first may be demoted.
      await database.db
        .update(organizationMemberships)
        .set({ role: "owner" })
        .where(and(eq(organizationMemberships.orgId, world.org.id), eq(organizationMemberships.userId, world.actors.member.id)));
      const key = await ownerKey(world);
      expect((await api(database.db, key.secret, "GET", `${ORG(world)}/activity`)).status).toBe(200);
      await m.changeOrganizationRole(database.db, world.actors.member, {
        orgId: world.org.id,
        userId: world.actors.owner.id,
        role: "member",
      });
      const before = await snapshot(database.db, worldOrgIds(world));
      expect((await api(database.db, key.secret, "POST", `${ORG(world)}/projects`, { body: { name: "Nope" } })).status).toBe(403);
      expect((await api(database.db, key.secret, "GET", `${ORG(world)}/activity`)).status).toBe(403);
      expect(await snapshot(database.db, worldOrgIds(world))).toEqual(before);
      await m.removeOrganizationMember(database.db, world.actors.member, { orgId: world.org.id, userId: world.actors.owner.id });
      expect((await api(database.db, key.secret, "GET", ORG(world))).status).toBe(401);
    });

    it("a Project Admin key made by an owner is capped to the creator's own role on that project once demoted", async () => {
      const world = await buildWorld(database.db);
      // The admin becomes an owner, makes an admin key for the project, then is made a plain member again.
      await database.db
        .update(organizationMemberships)
        .set({ role: "owner" })
        .where(and(eq(organizationMemberships.orgId, world.org.id), eq(organizationMemberships.userId, world.actors.readOnly.id)));
      const key = await m.createApiKey(database.db, world.actors.readOnly, {
        orgId: world.org.id,
        name: "p",
        scope: "projects",
        projects: [{ projectId: world.project.id, role: "admin" }],
      });
      expect((await api(database.db, key.secret, "GET", `${P(world)}/invitations`)).status).toBe(200);
      // Back to Organization Member: on the project they are Read-Only, so the key is too.
      await database.db
        .update(organizationMemberships)
        .set({ role: "member" })
        .where(and(eq(organizationMemberships.orgId, world.org.id), eq(organizationMemberships.userId, world.actors.readOnly.id)));
      expect((await api(database.db, key.secret, "GET", `${P(world)}/invitations`)).status).toBe(403);
      expect((await api(database.db, key.secret, "GET", `${P(world)}/collaborators`)).status).toBe(200);
      await database.db
        .delete(projectMemberships)
        .where(and(eq(projectMemberships.projectId, world.project.id), eq(projectMemberships.userId, world.actors.readOnly.id)));
      expect((await api(database.db, key.secret, "GET", `${P(world)}/collaborators`)).status).toBe(404);
      // A project key never sees projects it was not given.
      const listed = await api(database.db, key.secret, "GET", `${ORG(world)}/projects`);
      expect(listed.body.items).toEqual([]);
    });
  });

  describe("a creator who leaves or is removed takes their keys along", () => {
    const keyRow = async (id: string) => (await database.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!;
    const rejoin = (world: World, userId: string) =>
      database.db.insert(organizationMemberships).values({ orgId: world.org.id, userId, role: "owner" });
    const revocations = (world: World) =>
      database.db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, world.org.id), eq(activity.action, "api_key.revoked")));
    const makeOwner = (world: World, userId: string) =>
      database.db
        .update(organizationMemberships)
        .set({ role: "owner" })
        .where(and(eq(organizationMemberships.orgId, world.org.id), eq(organizationMemberships.userId, userId)));

    it("removed: their keys are revoked in that transaction, one activity record each, and stay refused when they are added again", async () => {
      const world = await buildWorld(database.db);
      await makeOwner(world, world.actors.member.id);
      const whole = await ownerKey(world, { name: "deploy" });
      const scoped = await ownerKey(world, {
        name: "reader",
        scope: "projects",
        projects: [{ projectId: world.project.id, role: "read_only" }],
      });
      const others = await m.createApiKey(database.db, world.actors.member, { orgId: world.org.id, name: "theirs", scope: "organization" });
      await m.removeOrganizationMember(database.db, world.actors.member, { orgId: world.org.id, userId: world.actors.owner.id });
      for (const key of [whole, scoped]) expect((await keyRow(key.id)).revokedAt).not.toBeNull();
      expect((await keyRow(others.id)).revokedAt).toBeNull();
      const log = await revocations(world);
      expect(log.map((a) => a.detail).sort()).toEqual([`deploy (${whole.prefix}…)`, `reader (${scoped.prefix}…)`]);
      for (const a of log) {
        expect(a).toMatchObject({
          actorId: world.actors.member.id,
          targetEmail: world.actors.owner.email,
          targetUserId: world.actors.owner.id,
        });
        expect(describeActivity(a)).toBe(
          `The API key \u2068${a.detail}\u2069 was revoked: ${world.actors.member.email} removed its creator ${world.actors.owner.email} from the organization`,
        );
      }
      await rejoin(world, world.actors.owner.id);
      for (const key of [whole, scoped]) {
        const answer = await api(database.db, key.secret, "GET", `${P(world)}/collaborators`);
        expect(answer.status).toBe(401);
        expect(answer.body.code).toBe("UNAUTHENTICATED");
      }
      expect((await api(database.db, others.secret, "GET", ORG(world))).status).toBe(200);
    });

    it("left: their keys are revoked and recorded, and stay refused when they come back", async () => {
      const world = await buildWorld(database.db);
      await makeOwner(world, world.actors.member.id);
      const key = await m.createApiKey(database.db, world.actors.member, { orgId: world.org.id, name: "leaver", scope: "organization" });
      const kept = await ownerKey(world, { name: "stays" });
      await m.leaveOrganization(database.db, world.actors.member, { orgId: world.org.id });
      const [record, ...more] = await revocations(world);
      expect(more).toEqual([]);
      expect(record).toMatchObject({
        actorId: world.actors.member.id,
        targetUserId: world.actors.member.id,
        detail: `leaver (${key.prefix}…)`,
      });
      expect(describeActivity(record!)).toBe(
        `The API key \u2068leaver (${key.prefix}…)\u2069 was revoked: its creator ${world.actors.member.email} left the organization`,
      );
      await rejoin(world, world.actors.member.id);
      expect((await api(database.db, key.secret, "GET", ORG(world))).status).toBe(401);
      expect((await api(database.db, kept.secret, "GET", ORG(world))).status).toBe(200);
    });

    it("leaving a project revokes nothing: a project key stays, capped by its creator's roles as they are now", async () => {
      const world = await buildWorld(database.db);
      const creator = world.actors.readOnly;
      await makeOwner(world, creator.id);
      const key = await m.createApiKey(database.db, creator, {
        orgId: world.org.id,
        name: "project admin",
        scope: "projects",
        projects: [{ projectId: world.project.id, role: "admin" }],
      });
      await m.leaveProject(database.db, creator, { orgId: world.org.id, projectId: world.project.id });
      expect((await keyRow(key.id)).revokedAt).toBeNull();
      expect(await revocations(world)).toEqual([]);
      // An Organization Owner counts as Project Admin of every project, with or without a membership there.
      expect((await api(database.db, key.secret, "GET", `${P(world)}/invitations`)).status).toBe(200);
      await database.db
        .update(organizationMemberships)
        .set({ role: "member" })
        .where(and(eq(organizationMemberships.orgId, world.org.id), eq(organizationMemberships.userId, creator.id)));
      expect((await api(database.db, key.secret, "GET", `${P(world)}/collaborators`)).status).toBe(404);
      await database.db
        .insert(projectMemberships)
        .values({ orgId: world.org.id, projectId: world.project.id, userId: creator.id, role: "read_only" });
      expect((await api(database.db, key.secret, "GET", `${P(world)}/collaborators`)).status).toBe(200);
      expect((await api(database.db, key.secret, "GET", `${P(world)}/invitations`)).status).toBe(403);
    });
  });

  describe("problems, paging and limits", () => {
    beforeAll(async () => {
      w = await buildWorld(database.db);
    });

    it("the domain's refusals keep their codes: LAST_ADMIN", async () => {
      const key = await ownerKey(w);
      const world = w;
      await api(database.db, key.secret, "DELETE", `${P(world)}/collaborators/${world.admin2.id}`);
      const answer = await api(database.db, key.secret, "PATCH", `${P(world)}/collaborators/${world.actors.admin.id}`, {
        body: { role: "read_only" },
      });
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({
        code: "LAST_ADMIN",
        status: 409,
        title: expect.any(String),
        type: expect.stringContaining("last-admin"),
      });
    });

    it("malformed bodies and parameters get a clear 4xx and change nothing", async () => {
      const key = await ownerKey(w);
      await api(database.db, key.secret, "GET", "/organizations");
      const before = await snapshot(database.db, worldOrgIds(w));
      const cases = [
        await api(database.db, key.secret, "POST", `${P(w)}/invitations`, {
          rawBody: "{not json",
          headers: { "content-type": "application/json" },
        }),
        await api(database.db, key.secret, "POST", `${P(w)}/invitations`, {
          rawBody: "emails=a",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        await api(database.db, key.secret, "POST", `${P(w)}/invitations`, { body: { emails: "a@b.example", role: "king" } }),
        await api(database.db, key.secret, "POST", `${P(w)}/invitations`, { body: [] }),
        await api(database.db, key.secret, "PATCH", `${P(w)}/collaborators/${w.target.id}`, { body: { role: null } }),
        await api(database.db, key.secret, "GET", `${P(w)}/collaborators?limit=51`),
        await api(database.db, key.secret, "GET", `${P(w)}/collaborators?cursor=${"c".repeat(4001)}`),
        await api(database.db, key.secret, "GET", `${ORG(w)}/projects/not-a-uuid/collaborators`),
        await api(database.db, key.secret, "PUT", `${ORG(w)}/projects`),
        await api(database.db, key.secret, "GET", "/nothing/here"),
        await api(database.db, key.secret, "POST", `${ORG(w)}/projects`, {
          body: { name: "x" },
          headers: { "idempotency-key": "has space" },
        }),
        await api(database.db, key.secret, "DELETE", `${ORG(w)}/projects/${w.sideProject.id}`),
        await api(database.db, key.secret, "PATCH", P(w), { body: { name: "Search\u0085Prod" } }),
        await api(database.db, key.secret, "POST", `${ORG(w)}/projects`, { body: { name: "\u202eevil" } }),
        await api(database.db, key.secret, "POST", `${ORG(w)}/projects`, { body: { name: "\u200b\u200d" } }),
      ];
      expect(cases.map((c) => c.status)).toEqual([400, 415, 422, 422, 422, 422, 422, 404, 405, 404, 422, 422, 422, 422, 422]);
      for (const c of cases) {
        expect(c.contentType).toBe("application/problem+json");
        expect(typeof c.body.detail).toBe("string");
      }
      expect(await snapshot(database.db, worldOrgIds(w))).toEqual(before);
    });

    it("collaborators page by cursor in a stable order with a capped limit, back again, and search", async () => {
      const key = await ownerKey(w);
      const all = await api(database.db, key.secret, "GET", `${P(w)}/collaborators`);
      const items = all.body.items as { email: string }[];
      expect(all.body).toMatchObject({ start: 0, prev: null, next: null, total: items.length });
      const pages: string[] = [];
      const cursors: string[] = [];
      let cursor: string | null = "";
      while (cursor !== null) {
        const answer = await api(database.db, key.secret, "GET", `${P(w)}/collaborators?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
        expect(answer.status).toBe(200);
        expect(answer.body.pageSize).toBe(2);
        expect(answer.body.start).toBe(pages.length);
        pages.push(...(answer.body.items as { email: string }[]).map((i) => i.email));
        cursors.push(cursor);
        cursor = answer.body.next as string | null;
      }
      expect(pages).toEqual(items.map((i) => i.email));
      // `prev` of the second page leads back to the first.
      const second = await api(database.db, key.secret, "GET", `${P(w)}/collaborators?limit=2&cursor=${cursors[1]}`);
      const back = await api(database.db, key.secret, "GET", `${P(w)}/collaborators?limit=2&cursor=${second.body.prev as string}`);
      expect((back.body.items as { email: string }[]).map((i) => i.email)).toEqual(pages.slice(0, 2));
      expect(back.body.prev).toBeNull();
      const found = await api(database.db, key.secret, "GET", `${P(w)}/collaborators?q=${encodeURIComponent(w.target.email.slice(0, 10))}`);
      expect((found.body.items as { email: string }[]).map((i) => i.email)).toContain(w.target.email);
      expect(found.body.total).toBeLessThan(items.length);
    });

    it("a damaged, forged or other list's cursor is 400 INVALID_CURSOR; a cursor never reaches another project's rows", async () => {
      const key = await ownerKey(w);
      const first = await api(database.db, key.secret, "GET", `${P(w)}/collaborators?limit=1`);
      const good = first.body.next as string;
      const forged = Buffer.from(JSON.stringify({ l: "collaborators", d: "a", k: ["admin'--", "x"], i: 0 })).toString("base64url");
      const activityCursor = Buffer.from(
        JSON.stringify({ l: "activity", d: "a", k: ["2026-11-30 10:00:00.123456+00", "00000000-0000-4000-8000-000000000000"], i: 0 }),
      ).toString("base64url");
      for (const cursor of ["%%%", `${good.slice(0, -3)}x`, forged, activityCursor]) {
        const answer = await api(database.db, key.secret, "GET", `${P(w)}/collaborators?cursor=${encodeURIComponent(cursor)}`);
        expect(answer.status).toBe(400);
        expect(answer.contentType).toBe("application/problem+json");
        expect(answer.body.code).toBe("INVALID_CURSOR");
      }
      // A valid cursor of this project used on another project positions that project's own list.
      const elsewhere = await api(database.db, key.secret, "GET", `${ORG(w)}/projects/${w.sideProject.id}/collaborators?cursor=${good}`);
      expect(elsewhere.status).toBe(200);
      const sideIds = (await api(database.db, key.secret, "GET", `${ORG(w)}/projects/${w.sideProject.id}/collaborators`)).body.items as {
        userId: string;
      }[];
      for (const item of elsewhere.body.items as { userId: string }[]) expect(sideIds.map((s) => s.userId)).toContain(item.userId);
    });

    it("each key has its own rate limit: 429 with Retry-After and RateLimit headers", async () => {
      const key = await ownerKey(w);
      const other = await ownerKey(w);
      const limited = { api: { rateLimit: { perMinute: 3 } } };
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await api(database.db, key.secret, "GET", ORG(w), limited));
      expect(statuses.map((s) => s.status)).toEqual([200, 200, 200, 429]);
      expect(statuses[0]!.headers.get("ratelimit")).toMatch(/r=2;t=\d+/);
      const refused = statuses[3]!;
      expect(refused.body.code).toBe("RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(refused.headers.get("ratelimit-policy")).toBe('"per-key";q=3;w=60');
      expect((await api(database.db, other.secret, "GET", ORG(w), limited)).status).toBe(200);
    });

    it("a refusal by a domain limit says when to try again: resending at once is 429 with Retry-After", async () => {
      const key = await ownerKey(w);
      const invited = await api(database.db, key.secret, "POST", `${P(w)}/invitations`, {
        body: { emails: [uniqueEmail("soon", w.tag)], role: "read_only" },
      });
      expect(invited.status).toBe(200);
      const id = (invited.body.results as { invitationId: string }[])[0]!.invitationId;
      const again = await api(database.db, key.secret, "POST", `${P(w)}/invitations/${id}/resend`);
      expect(again.status).toBe(429);
      expect(again.body.code).toBe("RATE_LIMITED");
      const seconds = Number(again.headers.get("retry-after"));
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
    });
  });

  describe("Idempotency-Key", () => {
    beforeAll(async () => {
      w = await buildWorld(database.db);
    });

    it("a retry with the same key and body returns the first answer and changes nothing again; another body is 422", async () => {
      const key = await ownerKey(w);
      const emails = [uniqueEmail("i1", w.tag), uniqueEmail("i2", w.tag), uniqueEmail("i3", w.tag)];
      const headers = { "idempotency-key": "invite-three-1" };
      const first = await api(database.db, key.secret, "POST", `${P(w)}/invitations`, { body: { emails, role: "read_only" }, headers });
      expect(first.status).toBe(200);
      const before = await snapshot(database.db, worldOrgIds(w));
      const again = await api(database.db, key.secret, "POST", `${P(w)}/invitations`, { body: { emails, role: "read_only" }, headers });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get("idempotency-replayed")).toBe("true");
      const other = await api(database.db, key.secret, "POST", `${P(w)}/invitations`, { body: { emails, role: "admin" }, headers });
      expect(other.status).toBe(422);
      expect(other.body.code).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(await snapshot(database.db, worldOrgIds(w))).toEqual(before);
      // Keys are per API key: another key may use the same Idempotency-Key for its own request.
      const second = await ownerKey(w);
      const fresh = await api(database.db, second.secret, "POST", `${ORG(w)}/projects`, { body: { name: "Per key" }, headers });
      expect(fresh.status).toBe(201);
    });

    it("a refusal is replayed too, and a stored answer expires after 24 hours", async () => {
      const key = await ownerKey(w);
      const headers = { "idempotency-key": "rename-default" };
      const path = `${ORG(w)}/projects`;
      const first = await api(database.db, key.secret, "POST", path, { body: { name: "Twice" }, headers });
      expect(first.status).toBe(201);
      const replay = await api(database.db, key.secret, "POST", path, { body: { name: "Twice" }, headers });
      expect(replay.body).toEqual(first.body);
      expect(await database.db.$count(projects, and(eq(projects.orgId, w.org.id), eq(projects.name, "Twice")))).toBe(1);
      const later = new Date(Date.now() + 24 * 60 * 60 * 1000 + 60_000);
      const afterADay = await api(database.db, key.secret, "POST", path, { body: { name: "Twice" }, headers, api: { now: later } });
      expect(afterADay.status).toBe(201);
      expect(afterADay.body.id).not.toBe(first.body.id);
      expect(await database.db.$count(apiIdempotencyKeys, eq(apiIdempotencyKeys.key, "rename-default"))).toBe(1);
    });

    it("the sweeper's prune deletes stored answers past their 24 hours, and only those", async () => {
      const key = await ownerKey(w);
      await api(database.db, key.secret, "POST", `${ORG(w)}/projects`, {
        body: { name: "Pruned answer" },
        headers: { "idempotency-key": "prune-me" },
      });
      const stored = eq(apiIdempotencyKeys.apiKeyId, key.id);
      await pruneExpired(database.db, { now: new Date(Date.now() + 23 * 60 * 60 * 1000) });
      expect(await database.db.$count(apiIdempotencyKeys, stored)).toBe(1);
      const result = await pruneExpired(database.db, { now: new Date(Date.now() + 25 * 60 * 60 * 1000) });
      expect(result.idempotencyKeys).toBeGreaterThanOrEqual(1);
      expect(await database.db.$count(apiIdempotencyKeys, stored)).toBe(0);
    });
  });
});

// PGlite runs one transaction at a time, so races are proven on the Postgres server only.
describe("Idempotency-Key under concurrency on the Postgres server", () => {
  const database = useTestDatabase("postgres");
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });

  const ownerKey = (world: World) =>
    m.createApiKey(database.db, world.actors.owner, { orgId: world.org.id, name: "race", scope: "organization" });

  it("10 identical POSTs at once make one invitation and get one answer", async () => {
    const key = await ownerKey(w);
    const email = uniqueEmail("race", w.tag);
    const other = database.connectAgain(12);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(other.db, key.secret, "POST", `${P(w)}/invitations`, {
          body: { emails: [email], role: "read_only" },
          headers: { "idempotency-key": "race-1" },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
    expect((answers[0]!.body.results as { outcome: string }[])[0]!.outcome).toBe("invited");
    expect(answers.filter((a) => a.headers.get("idempotency-replayed") === "true")).toHaveLength(9);
    expect(await database.db.$count(invitations, and(eq(invitations.orgId, w.org.id), eq(invitations.email, email)))).toBe(1);
    expect(await database.db.$count(activity, and(eq(activity.orgId, w.org.id), eq(activity.targetEmail, email)))).toBe(1);
  });

  it("a key made while its creator is being removed is revoked by the removal, or refused: 20 rounds", async () => {
    const pools = [database.connectAgain(2), database.connectAgain(2)];
    const outcomes: string[] = [];
    for (let round = 0; round < 20; round++) {
      const [creator] = await createUsers(database.db, ["creator"]);
      await database.db.insert(organizationMemberships).values({ orgId: w.org.id, userId: creator!.id, role: "owner" });
      const [made, removed] = await Promise.all([
        attempt(() => m.createApiKey(pools[round % 2]!.db, creator!, { orgId: w.org.id, name: `round ${round}`, scope: "organization" })),
        attempt(() => m.removeOrganizationMember(pools[(round + 1) % 2]!.db, w.actors.owner, { orgId: w.org.id, userId: creator!.id })),
      ]);
      expect(removed.ok, removed.ok ? "" : describeError(removed.error)).toBe(true);
      if (made.ok) {
        expect(
          (await database.db.select().from(apiKeys).where(eq(apiKeys.id, made.value.id)))[0]!.revokedAt,
          `round ${round}`,
        ).not.toBeNull();
        expect((await api(database.db, made.value.secret, "GET", ORG(w))).status).toBe(401);
      } else expect(made.error instanceof DomainError && made.error.code, `round ${round}: ${describeError(made.error)}`).toBe("NOT_FOUND");
      outcomes.push(made.ok ? "made, then revoked" : "refused");
    }
    console.log(
      `[api keys] key made during its creator's removal: ${outcomes.filter((o) => o === "refused").length} refused, ` +
        `${outcomes.filter((o) => o !== "refused").length} made then revoked`,
    );
  });

  it("a key asked for while the removal of its creator is uncommitted waits for it, then is refused", async () => {
    const [creator] = await createUsers(database.db, ["creator"]);
    await database.db.insert(organizationMemberships).values({ orgId: w.org.id, userId: creator!.id, role: "owner" });
    const [remover, maker] = [database.connectAgain(2), database.connectAgain(2)];
    let made: Promise<unknown> | undefined;
    await remover.db.transaction(async (tx) => {
      await m.removeOrganizationMember(tx as unknown as Db, w.actors.owner, { orgId: w.org.id, userId: creator!.id });
      let settled = false;
      made = attempt(() => m.createApiKey(maker.db, creator!, { orgId: w.org.id, name: "too late", scope: "organization" })).finally(
        () => (settled = true),
      );
      // The key waits for the organization row (the removal holds it), unless it does not wait at all.
      await until(database.db, async () => settled || (await lockWaiters(database.db)) > 0);
    });
    const outcome = (await made) as Awaited<ReturnType<typeof attempt>>;
    expect(outcome.ok ? "made" : describeError(outcome.error)).toMatch(/^DomainError NOT_FOUND/);
    expect(await database.db.$count(apiKeys, and(eq(apiKeys.createdById, creator!.id), isNull(apiKeys.revokedAt)))).toBe(0);
  });
});
