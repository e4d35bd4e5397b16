import pg from "pg";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { activity, projectMemberships, scimGroupMembers } from "@/db/schema";
import { describeActivity } from "@/components/sentences";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, type World } from "../membership/fixtures";
import { ERROR, GROUP, groupState, patchBody, seedScimUsers } from "./group-helpers";
import { scim } from "./helpers";

describe.each(testTargets())("SCIM Groups on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let token: string;
  let people: { id: string; email: string }[];
  const call = (method: string, p: string, body?: unknown, options?: Parameters<typeof scim>[5]) =>
    scim(database.db, token, method, `${w.org.id}${p}`, body, options);
  const createGroup = async (displayName: string, members: string[] = [], extra: Record<string, unknown> = {}) => {
    const r = await call("POST", "/Groups", { schemas: [GROUP], displayName, members: members.map((value) => ({ value })), ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { id: string; displayName: string };
  };
  const memberIds = async (groupId: string) => {
    const r = await call("GET", `/Groups/${groupId}`);
    expect(r.status).toBe(200);
    return ((r.body.members ?? []) as { value: string }[]).map((x) => x.value).sort();
  };
  const sorted = (...ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    w = await buildWorld(database.db);
    token = (await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "Okta" })).token;
    people = await seedScimUsers(database.db, w.org.id, 6);
  });

  describe("create, read, list, filter", () => {
    it("POST creates a group with members; GET reads it back with value, display, $ref and meta; SCIM is the actor", async () => {
      const r = await call("POST", "/Groups", {
        schemas: [GROUP],
        displayName: "search-admins",
        externalId: "00g1",
        members: [{ value: people[0]!.id, display: "ignored" }, { value: people[1]!.id }],
      });
      expect(r.status).toBe(201);
      expect(r.contentType).toBe("application/scim+json");
      expect(r.headers.get("location")).toBe(r.body.meta.location);
      expect(r.body).toMatchObject({
        schemas: [GROUP],
        displayName: "search-admins",
        externalId: "00g1",
        meta: { resourceType: "Group", location: `http://console.test/scim/v2/${w.org.id}/Groups/${r.body.id}` },
      });
      const read = await call("GET", `/Groups/${r.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.members).toEqual(
        expect.arrayContaining([
          {
            value: people[0]!.id,
            display: people[0]!.email,
            type: "User",
            $ref: `http://console.test/scim/v2/${w.org.id}/Users/${people[0]!.id}`,
          },
        ]),
      );
      expect(read.body.members).toHaveLength(2);
      expect(Date.parse(read.body.meta.created)).not.toBeNaN();
      expect(Date.parse(read.body.meta.lastModified)).not.toBeNaN();
      const records = await database.db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "scim.group_created")));
      expect(records.map((a) => describeActivity({ ...a, actorScim: a.actorScimTokenId !== null }))).toContain(
        "SCIM created the group \u2068search-admins\u2069",
      );
    });

    it("displayName is unique in the organization, case-insensitively: 409 uniqueness, nothing created", async () => {
      await createGroup("Dup-Name");
      const before = await groupState(database.db, w.org.id);
      const again = await call("POST", "/Groups", { schemas: [GROUP], displayName: "dup-name" });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
      expect(await groupState(database.db, w.org.id)).toEqual(before);
    });

    it("refuses a body without displayName or with bad members as 400 invalidValue", async () => {
      expect((await call("POST", "/Groups", { schemas: [GROUP] })).body).toMatchObject({ status: "400", scimType: "invalidValue" });
      expect((await call("POST", "/Groups", { displayName: "x", members: [{ id: "nope" }] })).body.scimType).toBe("invalidValue");
      expect((await call("POST", "/Groups", { displayName: "a\u202eb" })).status).toBe(400);
    });

    it("lists with displayName eq and externalId eq filters, pages with startIndex/count, leaves members out on request", async () => {
      const g = await createGroup("Filter Me", [people[2]!.id], { externalId: "ext-filter" });
      const byName = await call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "filter me"')}`);
      expect(byName.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
      expect(byName.body.Resources[0]).toMatchObject({ id: g.id, displayName: "Filter Me", members: [{ value: people[2]!.id }] });
      const byExternal = await call("GET", `/Groups?filter=${encodeURIComponent('externalId eq "ext-filter"')}&excludedAttributes=members`);
      expect(byExternal.body.totalResults).toBe(1);
      expect(byExternal.body.Resources[0].members).toBeUndefined();
      const none = await call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "nobody"')}`);
      expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
      const all = await call("GET", "/Groups");
      const page = await call("GET", "/Groups?startIndex=2&count=1&attributes=displayName");
      expect(page.body).toMatchObject({ totalResults: all.body.totalResults, startIndex: 2, itemsPerPage: 1 });
      expect(page.body.Resources[0].id).toBe(all.body.Resources[1].id);
      expect(page.body.Resources[0].members).toBeUndefined();
      const one = await call("GET", `/Groups/${g.id}?excludedAttributes=members`);
      expect(one.body.members).toBeUndefined();
    });

    it("an unsupported filter is 400 invalidFilter; an unknown or malformed id, or another organization's group, is 404", async () => {
      const bad = await call("GET", `/Groups?filter=${encodeURIComponent('displayName co "x"')}`);
      expect(bad.body).toMatchObject({ status: "400", scimType: "invalidFilter" });
      expect((await call("GET", `/Groups?filter=${encodeURIComponent('members eq "x"')}`)).body.scimType).toBe("invalidFilter");
      expect((await call("GET", "/Groups/not-a-uuid")).status).toBe(404);
      expect((await call("GET", "/Groups/00000000-0000-4000-8000-000000000000")).status).toBe(404);
      const other = (await m.createScimToken(database.db, w.foreign.owner, { orgId: w.foreign.org.id, name: "B" })).token;
      const theirs = await scim(database.db, other, "POST", `${w.foreign.org.id}/Groups`, { displayName: "theirs" });
      expect(theirs.status).toBe(201);
      expect((await call("GET", `/Groups/${theirs.body.id}`)).status).toBe(404);
      expect((await call("DELETE", `/Groups/${theirs.body.id}`)).status).toBe(404);
    });
  });

  describe("PATCH members and names", () => {
    it("Okta's dialect: add members, remove one by members[value eq], replace displayName through a value object", async () => {
      const g = await createGroup("okta-group");
      const add = await call(
        "PATCH",
        `/Groups/${g.id}`,
        patchBody({ op: "add", path: "members", value: [{ value: people[0]!.id, display: "x" }, { value: people[1]!.id }] }),
      );
      expect(add.status).toBe(204);
      expect(await memberIds(g.id)).toEqual(sorted(people[0]!.id, people[1]!.id));
      const remove = await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "remove", path: `members[value eq "${people[0]!.id}"]` }));
      expect(remove.status).toBe(204);
      expect(await memberIds(g.id)).toEqual([people[1]!.id]);
      const rename = await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "replace", value: { id: g.id, displayName: "okta-renamed" } }));
      expect(rename.status).toBe(204);
      expect((await call("GET", `/Groups/${g.id}`)).body.displayName).toBe("okta-renamed");
      const replace = await call(
        "PATCH",
        `/Groups/${g.id}`,
        patchBody({ op: "replace", path: "members", value: [{ value: people[2]!.id }] }),
      );
      expect(replace.status).toBe(204);
      expect(await memberIds(g.id)).toEqual([people[2]!.id]);
      const records = await database.db.select().from(activity).where(eq(activity.orgId, w.org.id));
      const sentences = records.map((a) => describeActivity({ ...a, actorScim: a.actorScimTokenId !== null }));
      expect(sentences).toContain(`SCIM added ${people[0]!.email} to the group \u2068okta-group\u2069`);
      expect(sentences).toContain(`SCIM removed ${people[0]!.email} from the group \u2068okta-group\u2069`);
      expect(sentences).toContain("SCIM renamed the group \u2068okta-group\u2069 to \u2068okta-renamed\u2069");
    });

    it("Entra's dialect: Add and Remove with path members and a value list, Replace displayName with a path", async () => {
      const g = await createGroup("entra-group");
      const add = await call(
        "PATCH",
        `/Groups/${g.id}`,
        patchBody({ op: "Add", path: "members", value: [{ value: people[3]!.id }, { value: people[4]!.id }, { value: people[5]!.id }] }),
      );
      expect(add.status).toBe(204);
      expect(await memberIds(g.id)).toEqual(sorted(people[3]!.id, people[4]!.id, people[5]!.id));
      const remove = await call(
        "PATCH",
        `/Groups/${g.id}`,
        patchBody({ op: "Remove", path: "members", value: [{ value: people[3]!.id }, { value: people[4]!.id }] }),
      );
      expect(remove.status).toBe(204);
      expect(await memberIds(g.id)).toEqual([people[5]!.id]);
      // Removing someone who is not (or no longer) in the group changes nothing.
      expect(
        (await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "Remove", path: "members", value: [{ value: people[3]!.id }] }))).status,
      ).toBe(204);
      const rename = await call(
        "PATCH",
        `/Groups/${g.id}`,
        patchBody({ op: "Replace", path: "displayName", value: "entra-renamed" }, { op: "Replace", path: "externalId", value: "e-1" }),
      );
      expect(rename.status).toBe(204);
      expect((await call("GET", `/Groups/${g.id}`)).body).toMatchObject({ displayName: "entra-renamed", externalId: "e-1" });
      // Remove without a value empties the group.
      expect((await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "Remove", path: "members" }))).status).toBe(204);
      expect(await memberIds(g.id)).toEqual([]);
    });

    it("an unknown member id (or another organization's, or a console user not provisioned) is 400 invalidValue, nothing changed", async () => {
      const g = await createGroup("strict-group", [people[0]!.id]);
      const strangers = await seedScimUsers(database.db, w.foreign.org.id, 1);
      for (const id of ["no-such-user", strangers[0]!.id, w.actors.readOnly.id]) {
        const before = await groupState(database.db, w.org.id);
        const r = await call(
          "PATCH",
          `/Groups/${g.id}`,
          patchBody(
            { op: "replace", path: "displayName", value: "never" },
            { op: "add", path: "members", value: [{ value: people[1]!.id }, { value: id }] },
          ),
        );
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ schemas: [ERROR], scimType: "invalidValue" });
        expect(r.body.detail).toContain(JSON.stringify(id));
        expect(await groupState(database.db, w.org.id)).toEqual(before);
      }
      const post = await call("POST", "/Groups", { displayName: "never-made", members: [{ value: "no-such-user" }] });
      expect(post.status).toBe(400);
      expect((await call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "never-made"')}`)).body.totalResults).toBe(0);
    });

    it("refuses a malformed PATCH, a rename to a taken name (409) and removing displayName", async () => {
      const g = await createGroup("patch-errors");
      await createGroup("taken-name");
      expect((await call("PATCH", `/Groups/${g.id}`, { Operations: [] })).body.scimType).toBe("invalidSyntax");
      expect((await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "move", path: "members" }))).body.scimType).toBe("invalidSyntax");
      expect((await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "add", path: "members[", value: [] }))).body.scimType).toBe(
        "invalidPath",
      );
      expect((await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "remove", path: "displayName" }))).body.scimType).toBe("mutability");
      const taken = await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "replace", path: "displayName", value: "TAKEN-name" }));
      expect(taken.status).toBe(409);
      expect(taken.body.scimType).toBe("uniqueness");
      // A change of case of its own name is not a conflict.
      expect(
        (await call("PATCH", `/Groups/${g.id}`, patchBody({ op: "replace", path: "displayName", value: "PATCH-errors" }))).status,
      ).toBe(204);
      expect(
        (await call("PATCH", "/Groups/00000000-0000-4000-8000-000000000000", patchBody({ op: "remove", path: "members" }))).status,
      ).toBe(404);
    });
  });

  describe("PUT and DELETE", () => {
    it("PUT replaces the names and the whole member list", async () => {
      const g = await createGroup("put-group", [people[0]!.id, people[1]!.id]);
      const r = await call("PUT", `/Groups/${g.id}`, {
        schemas: [GROUP],
        displayName: "put-renamed",
        members: [{ value: people[1]!.id }, { value: people[2]!.id }],
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: g.id, displayName: "put-renamed" });
      expect(r.body.externalId).toBeUndefined();
      expect(await memberIds(g.id)).toEqual(sorted(people[1]!.id, people[2]!.id));
      const emptied = await call("PUT", `/Groups/${g.id}`, { displayName: "put-renamed" });
      expect(emptied.status).toBe(200);
      expect(await memberIds(g.id)).toEqual([]);
    });

    it("DELETE removes the group and its memberships; the people stay SCIM users; a second DELETE is 404", async () => {
      const g = await createGroup("delete-me", [people[0]!.id]);
      expect((await call("DELETE", `/Groups/${g.id}`)).status).toBe(204);
      expect((await call("GET", `/Groups/${g.id}`)).status).toBe(404);
      expect(await database.db.select().from(scimGroupMembers).where(eq(scimGroupMembers.groupId, g.id))).toEqual([]);
      expect((await call("GET", `/Users/${people[0]!.id}`)).status).toBe(200);
      expect((await call("DELETE", `/Groups/${g.id}`)).status).toBe(404);
    });

    it("discovery lists Groups: ResourceTypes and Schemas", async () => {
      const types = await call("GET", "/ResourceTypes");
      expect(types.body.Resources.map((r: { id: string }) => r.id)).toEqual(["User", "Group"]);
      const group = await call("GET", "/ResourceTypes/Group");
      expect(group.body).toMatchObject({ endpoint: "/Groups", schema: GROUP });
      const schema = await call("GET", `/Schemas/${GROUP}`);
      expect(schema.body.attributes.map((a: { name: string }) => a.name)).toEqual(["displayName", "externalId", "members"]);
    });
  });

  describe("1,000 members in one request", () => {
    it("adds 1,000 members in one PATCH (and gives them the mapped role) in a bounded number of statements, then removes them in one", async () => {
      const w2 = await buildWorld(database.db);
      const t2 = (await m.createScimToken(database.db, w2.actors.owner, { orgId: w2.org.id, name: "bulk" })).token;
      const crowd = await seedScimUsers(database.db, w2.org.id, 1000);
      const created = await scim(database.db, t2, "POST", `${w2.org.id}/Groups`, { displayName: "everyone" });
      await m.mapScimGroup(database.db, w2.actors.owner, {
        orgId: w2.org.id,
        groupId: created.body.id,
        projectId: w2.project.id,
        role: "read_write",
      });
      // Statements sent to the server (Postgres target): a per-member query would send thousands.
      const sent = kind === "postgres" ? vi.spyOn(pg.Client.prototype, "query") : null;
      const add = await scim(
        database.db,
        t2,
        "PATCH",
        `${w2.org.id}/Groups/${created.body.id}`,
        patchBody({ op: "add", path: "members", value: crowd.map((p) => ({ value: p.id })) }),
      );
      const statements = sent?.mock.calls.length ?? 0;
      sent?.mockRestore();
      expect(add.status, JSON.stringify(add.body)).toBe(204);
      if (kind === "postgres") expect(statements).toSatisfy((n: number) => n > 5 && n < 40, `${statements} statements`);
      const inGroup = await database.db.select().from(scimGroupMembers).where(eq(scimGroupMembers.groupId, created.body.id));
      expect(inGroup).toHaveLength(1000);
      const given = await database.db
        .select()
        .from(projectMemberships)
        .where(and(eq(projectMemberships.projectId, w2.project.id), eq(projectMemberships.groupRole, "read_write")));
      expect(given).toHaveLength(1000);
      expect(given.every((g) => g.role === "read_write" && g.directRole === null)).toBe(true);

      const read = await scim(database.db, t2, "GET", `${w2.org.id}/Groups/${created.body.id}`);
      expect(read.body.members).toHaveLength(1000);

      const remove = await scim(
        database.db,
        t2,
        "PATCH",
        `${w2.org.id}/Groups/${created.body.id}`,
        patchBody({ op: "Remove", path: "members", value: crowd.map((p) => ({ value: p.id })) }),
      );
      expect(remove.status).toBe(204);
      expect(await database.db.select().from(scimGroupMembers).where(eq(scimGroupMembers.groupId, created.body.id))).toHaveLength(0);
      expect(
        await database.db
          .select()
          .from(projectMemberships)
          .where(and(eq(projectMemberships.projectId, w2.project.id), eq(projectMemberships.groupRole, "read_write"))),
      ).toHaveLength(0);
    });
  });
});
