import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  activity,
  apiKeys,
  emailOutbox,
  invitations,
  organizationMemberships,
  projectMemberships,
  scimUsers,
  sessions,
  users,
} from "@/db/schema";
import { describeActivity } from "@/components/sentences";
import * as m from "@/lib/membership";
import { seatUsage } from "@/lib/membership/invitations/issue-invitations";
import { testTargets, useTestDatabase } from "../db";
import {
  buildWorld,
  expectNothingChanged,
  insertInvitation,
  orgRoleOf,
  uniqueEmail,
  worldOrgIds,
  type World,
} from "../membership/fixtures";
import { scim } from "./helpers";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

function okta(email: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER],
    userName: email,
    name: { givenName: "Ana", familyName: "Lima" },
    emails: [{ primary: true, value: email, type: "work" }],
    displayName: "Ana Lima",
    locale: "en-US",
    externalId: `00u${email.length}`,
    groups: [],
    password: "ignored-P4ss",
    active: true,
    ...extra,
  };
}

describe.each(testTargets())("SCIM Users on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let token: string;
  let path: string;
  const call = (method: string, p: string, body?: unknown, options?: Parameters<typeof scim>[5]) =>
    scim(database.db, token, method, `${path}${p}`, body, options);

  beforeAll(async () => {
    w = await buildWorld(database.db);
    token = (await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "Okta" })).token;
    path = w.org.id;
  });

  describe("POST /Users", () => {
    it("creates the account and joins the organization as Organization Member, no email sent, SCIM as actor", async () => {
      const email = uniqueEmail("new");
      const r = await call("POST", "/Users", okta(email));
      expect(r.status).toBe(201);
      expect(r.contentType).toBe("application/scim+json");
      expect(r.body).toMatchObject({
        schemas: [USER],
        userName: email,
        name: { givenName: "Ana", familyName: "Lima" },
        emails: [{ value: email, type: "work", primary: true }],
        active: true,
        meta: { resourceType: "User" },
      });
      expect(r.headers.get("location")).toBe(r.body.meta.location);
      expect(JSON.stringify(r.body)).not.toContain("ignored-P4ss");
      const [account] = await database.db.select().from(users).where(eq(users.email, email));
      expect(r.body.id).toBe(account!.id);
      expect(account!.name).toBe("Ana Lima");
      expect(await orgRoleOf(database.db, w.org.id, account!.id)).toBe("member");
      expect(await database.db.select().from(emailOutbox).where(eq(emailOutbox.to, email))).toHaveLength(0);
      const [joined] = await database.db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, w.org.id), eq(activity.targetEmail, email)));
      expect(joined!.actorScimTokenId).not.toBeNull();
      expect(describeActivity({ ...joined!, actorScim: true })).toBe(`SCIM added ${email} to the organization as Organization Member`);
      const [listed] = (await m.listOrganizationActivity(database.db, w.actors.owner, { orgId: w.org.id })).items.filter(
        (a) => a.targetEmail === email,
      );
      expect(listed!.actorScim).toBe(true);
    });

    it("links an existing account by its address and keeps an existing member's role", async () => {
      const r = await call("POST", "/Users", okta(w.actors.admin.email.toUpperCase(), { externalId: "ext-admin" }));
      expect(r.status).toBe(201);
      expect(r.body.id).toBe(w.actors.admin.id);
      expect(await orgRoleOf(database.db, w.org.id, w.actors.admin.id)).toBe("member");
      const owner = await call("POST", "/Users", okta(w.actors.owner.email));
      expect(owner.body.id).toBe(w.actors.owner.id);
      expect(await orgRoleOf(database.db, w.org.id, w.actors.owner.id)).toBe("owner");
    });

    it("a userName already used (in any case) or an account already provisioned is 409 uniqueness", async () => {
      const email = uniqueEmail("dup");
      expect((await call("POST", "/Users", okta(email))).status).toBe(201);
      const again = await call("POST", "/Users", okta(email.toUpperCase()));
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
      const sameAccount = await call("POST", "/Users", okta(email, { userName: "someone-else" }));
      expect(sameAccount.status).toBe(409);
      expect(sameAccount.body.scimType).toBe("uniqueness");
    });

    it("fulfils a pending invitation for the address: its project grants apply, its email is cancelled", async () => {
      const email = uniqueEmail("invited");
      const invitation = await insertInvitation(database.db, {
        orgId: w.org.id,
        projectId: w.sideProject.id,
        email,
        role: "read_write",
        sentAt: new Date(),
      });
      const r = await call("POST", "/Users", okta(email));
      expect(r.status).toBe(201);
      const [inv] = await database.db.select().from(invitations).where(eq(invitations.id, invitation.id));
      expect(inv!.status).toBe("accepted");
      const [pm] = await database.db
        .select()
        .from(projectMemberships)
        .where(and(eq(projectMemberships.projectId, w.sideProject.id), eq(projectMemberships.userId, r.body.id)));
      expect(pm).toMatchObject({ role: "read_write", directRole: "read_write" });
    });

    it("refuses when the seat limit is reached, nothing changed", async () => {
      const w2 = await buildWorld(database.db);
      const t2 = (await m.createScimToken(database.db, w2.actors.owner, { orgId: w2.org.id, name: "t" })).token;
      const { used } = await seatUsage(database.db, w2.org.id);
      // Fill the organization to its limit with pending invitations.
      const fill = Array.from({ length: 1000 - used }, (_, i) => ({
        orgId: w2.org.id,
        email: `fill${i}.${w2.tag}@seats.example.test`,
        tokenHash: `h${i}${w2.tag}`,
        expiresAt: new Date(Date.now() + 86_400_000),
        lastSentAt: new Date(),
      }));
      await database.db.insert(invitations).values(fill);
      await scim(database.db, t2, "GET", `${w2.org.id}/ServiceProviderConfig`); // the token's rate-limit row exists before the snapshot
      const email = uniqueEmail("overflow");
      const r = await expectNothingChanged(database.db, worldOrgIds(w2), () =>
        scim(database.db, t2, "POST", `${w2.org.id}/Users`, okta(email)),
      );
      expect(r.status).toBe(409);
      expect(r.body.detail).toContain("seats");
      expect(await database.db.select().from(scimUsers).where(eq(scimUsers.orgId, w2.org.id))).toHaveLength(0);
    });

    it("refuses bodies without a userName or with wrong types as 400 invalidValue", async () => {
      const noName = await call("POST", "/Users", { schemas: [USER], emails: [{ value: uniqueEmail("x") }] });
      expect(noName.status).toBe(400);
      expect(noName.body.scimType).toBe("invalidValue");
      const badActive = await call("POST", "/Users", okta(uniqueEmail("y"), { active: "maybe" }));
      expect(badActive.status).toBe(400);
      const badEmail = await call("POST", "/Users", okta("not an address", { emails: [{ value: "nope", primary: true }] }));
      expect(badEmail.status).toBe(400);
    });
  });

  describe("GET /Users", () => {
    let id: string;
    let email: string;
    beforeAll(async () => {
      email = uniqueEmail("lookup");
      id = (await call("POST", "/Users", okta(email, { externalId: "ext-lookup" }))).body.id;
    });

    it("reads one by id; an unknown id or another organization's user is 404", async () => {
      const r = await call("GET", `/Users/${id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id, userName: email, externalId: "ext-lookup" });
      expect((await call("GET", "/Users/nobody")).status).toBe(404);
      const foreign = await m.createScimToken(database.db, w.foreign.owner, { orgId: w.foreign.org.id, name: "f" });
      expect((await scim(database.db, foreign.token, "GET", `${w.foreign.org.id}/Users/${id}`)).status).toBe(404);
    });

    it.each([
      [`userName eq "EMAIL"`],
      [`USERNAME EQ "EMAIL"`],
      [`emails[type eq "work"].value eq "EMAIL"`],
      [`emails.value eq "EMAIL"`],
      [`externalId eq "ext-lookup"`],
      [`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "EMAIL"`],
    ])("filter %s finds exactly that user", async (filter) => {
      const r = await call("GET", `/Users?filter=${encodeURIComponent(filter.replace("EMAIL", email))}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1 });
      expect(r.body.Resources.map((u: { id: string }) => u.id)).toEqual([id]);
    });

    it("a filter matching nobody answers an empty list", async () => {
      const r = await call("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@nowhere.test"')}`);
      expect(r.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
    });

    it("active eq true / false", async () => {
      const on = await call("GET", `/Users?filter=${encodeURIComponent("active eq true")}`);
      const off = await call("GET", `/Users?filter=${encodeURIComponent("active eq false")}`);
      expect(on.body.Resources.every((u: { active: boolean }) => u.active)).toBe(true);
      expect(off.body.Resources.every((u: { active: boolean }) => !u.active)).toBe(true);
    });

    it.each([
      `userName co "a"`,
      `userName eq "a" and active eq true`,
      `title eq "x"`,
      `userName eq 5`,
      `active eq "yes"`,
      `(userName eq "a")`,
    ])("a filter outside the subset (%s) is 400 invalidFilter", async (filter) => {
      const r = await call("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
    });

    it("pages with startIndex and count; count is capped and never negative", async () => {
      const all = await call("GET", "/Users?count=1000");
      expect(all.body.itemsPerPage).toBeLessThanOrEqual(200);
      const total = all.body.totalResults;
      expect(total).toBeGreaterThanOrEqual(3);
      const first = await call("GET", "/Users?startIndex=1&count=2");
      const second = await call("GET", "/Users?startIndex=3&count=2");
      expect(first.body).toMatchObject({ totalResults: total, startIndex: 1, itemsPerPage: 2 });
      expect(second.body.startIndex).toBe(3);
      const ids = [...first.body.Resources, ...second.body.Resources].map((u: { id: string }) => u.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(all.body.Resources.slice(0, ids.length).map((u: { id: string }) => u.id));
      const none = await call("GET", "/Users?count=-3");
      expect(none.body).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
      expect((await call("GET", "/Users?startIndex=abc")).status).toBe(400);
    });
  });

  describe("PUT and PATCH /Users/{id}", () => {
    let id: string;
    let email: string;
    beforeAll(async () => {
      email = uniqueEmail("change");
      id = (await call("POST", "/Users", okta(email))).body.id;
    });

    it("PUT replaces the kept attributes", async () => {
      const r = await call(
        "PUT",
        `/Users/${id}`,
        okta(email, { name: { givenName: "Bea", familyName: "Souza" }, displayName: "Bea Souza" }),
      );
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ name: { givenName: "Bea", familyName: "Souza" }, displayName: "Bea Souza", active: true });
    });

    it("PATCH in Entra's dialect: Replace with paths, string booleans, the work email filter, externalId, userName", async () => {
      const newEmail = uniqueEmail("renamed");
      const r = await call("PATCH", `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [
          { op: "Replace", path: "name.givenName", value: "Carla" },
          { op: "Replace", path: 'emails[type eq "work"].value', value: newEmail },
          { op: "Replace", path: "externalId", value: "entra-1" },
          { op: "Add", path: "name.familyName", value: "Dias" },
          { op: "Replace", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "Sales" },
          { op: "Add", path: "title", value: "Engineer" },
          { op: "Replace", path: "userName", value: newEmail },
        ],
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        userName: newEmail,
        externalId: "entra-1",
        name: { givenName: "Carla", familyName: "Dias" },
        emails: [{ value: newEmail }],
      });
      // The console account keeps its sign-in address.
      const [account] = await database.db.select().from(users).where(eq(users.id, id));
      expect(account!.email).toBe(email);
      email = newEmail;
      const found = await call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${newEmail}"`)}`);
      expect(found.body.totalResults).toBe(1);
    });

    it("PATCH in Okta's dialect: replace without a path; add and remove", async () => {
      const r = await call("PATCH", `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", value: { displayName: "C. Dias", name: { givenName: "Cá" } } }],
      });
      expect(r.body).toMatchObject({ displayName: "C. Dias", name: { givenName: "Cá", familyName: "Dias" } });
      const removed = await call("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "remove", path: "displayName" }] });
      expect(removed.body.displayName).toBeUndefined();
    });

    it("PATCH refuses a malformed message or path, and userName taken by another user", async () => {
      expect((await call("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [] })).body.scimType).toBe("invalidSyntax");
      expect((await call("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "move", path: "x" }] })).status).toBe(400);
      expect(
        (await call("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "emails[[", value: "x" }] })).body
          .scimType,
      ).toBe("invalidPath");
      expect(
        (await call("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "remove", path: "userName" }] })).body.scimType,
      ).toBe("mutability");
      const other = uniqueEmail("other");
      await call("POST", "/Users", okta(other));
      const taken = await call("PATCH", `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", path: "userName", value: other }],
      });
      expect(taken.status).toBe(409);
      expect(taken.body.scimType).toBe("uniqueness");
      expect(
        (await call("PATCH", "/Users/nobody", { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] })).status,
      ).toBe(404);
    });
  });

  describe("deactivating, reactivating, deleting", () => {
    it("active false (Okta's dialect) ends project roles, sessions and API keys at once; active true re-joins as Organization Member", async () => {
      const wd = await buildWorld(database.db);
      const t = (await m.createScimToken(database.db, wd.actors.owner, { orgId: wd.org.id, name: "t" })).token;
      // The read-write collaborator, promoted to Owner so they can hold a key, is provisioned, then deactivated.
      const person = wd.actors.readWrite;
      await database.db
        .update(organizationMemberships)
        .set({ role: "owner" })
        .where(and(eq(organizationMemberships.orgId, wd.org.id), eq(organizationMemberships.userId, person.id)));
      const key = await m.createApiKey(database.db, person, { orgId: wd.org.id, name: "theirs", scope: "organization" });
      await database.db
        .insert(sessions)
        .values({ sessionToken: `s-${wd.tag}`, userId: person.id, expires: new Date(Date.now() + 86_400_000) });
      const id = (await scim(database.db, t, "POST", `${wd.org.id}/Users`, okta(person.email))).body.id;
      const off = await scim(database.db, t, "PATCH", `${wd.org.id}/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", value: { active: false } }],
      });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect(await orgRoleOf(database.db, wd.org.id, person.id)).toBeNull();
      expect(await database.db.select().from(projectMemberships).where(eq(projectMemberships.userId, person.id))).toHaveLength(0);
      expect(await database.db.select().from(sessions).where(eq(sessions.userId, person.id))).toHaveLength(0);
      const [k] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
      expect(k!.revokedAt).not.toBeNull();
      const sentences = (await m.listOrganizationActivity(database.db, wd.actors.owner, { orgId: wd.org.id })).items.map((a) =>
        describeActivity(a),
      );
      expect(sentences).toContain(`SCIM deactivated ${person.email}: removed from the organization`);
      expect(sentences.some((s) => s.startsWith(`SCIM removed ${person.email}`))).toBe(true);

      const on = await scim(database.db, t, "PATCH", `${wd.org.id}/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: "Replace", path: "active", value: "True" }],
      });
      expect(on.body.active).toBe(true);
      expect(await orgRoleOf(database.db, wd.org.id, person.id)).toBe("member");
      expect(await database.db.select().from(projectMemberships).where(eq(projectMemberships.userId, person.id))).toHaveLength(0);
    });

    it('Entra\'s dialect deactivates too: Replace active "False"', async () => {
      const email = uniqueEmail("entra");
      const id = (await call("POST", "/Users", okta(email))).body.id;
      const r = await call("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "Replace", path: "active", value: "False" }] });
      expect(r.body.active).toBe(false);
      expect(await orgRoleOf(database.db, w.org.id, id)).toBeNull();
    });

    it("the last Organization Owner and a project's last Project Admin are never removed: 409 with a clear detail, nothing changed", async () => {
      const wl = await buildWorld(database.db);
      const t = (await m.createScimToken(database.db, wl.actors.owner, { orgId: wl.org.id, name: "t" })).token;
      const ownerId = (await scim(database.db, t, "POST", `${wl.org.id}/Users`, okta(wl.actors.owner.email))).body.id;
      const soleAdmin = wl.admin2; // the only admin of the side project
      const adminId = (await scim(database.db, t, "POST", `${wl.org.id}/Users`, okta(soleAdmin.email))).body.id;
      const off = { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] };
      const ownerOff = await expectNothingChanged(database.db, worldOrgIds(wl), () =>
        scim(database.db, t, "PATCH", `${wl.org.id}/Users/${ownerId}`, off),
      );
      expect(ownerOff.status).toBe(409);
      expect(ownerOff.body.detail).toContain("only Organization Owner");
      const adminOff = await expectNothingChanged(database.db, worldOrgIds(wl), () =>
        scim(database.db, t, "PATCH", `${wl.org.id}/Users/${adminId}`, off),
      );
      expect(adminOff.status).toBe(409);
      expect(adminOff.body.detail).toContain(`only Project Admin of ${wl.sideProject.name}`);
      const deleted = await scim(database.db, t, "DELETE", `${wl.org.id}/Users/${adminId}`);
      expect(deleted.status).toBe(409);
      expect((await scim(database.db, t, "GET", `${wl.org.id}/Users/${adminId}`)).body.active).toBe(true);
    });

    it("DELETE removes the person from the organization and forgets the SCIM user; the account stays", async () => {
      const email = uniqueEmail("gone");
      const id = (await call("POST", "/Users", okta(email))).body.id;
      const r = await call("DELETE", `/Users/${id}`);
      expect(r.status).toBe(204);
      expect(r.body).toBeNull();
      expect(await orgRoleOf(database.db, w.org.id, id)).toBeNull();
      expect((await call("GET", `/Users/${id}`)).status).toBe(404);
      expect(await database.db.select().from(users).where(eq(users.id, id))).toHaveLength(1);
      expect((await call("DELETE", `/Users/${id}`)).status).toBe(404);
    });
  });
});
