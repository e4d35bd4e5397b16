import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { doubles } from "../actions/action-doubles";
import { activity, organizationMemberships } from "@/db/schema";
import { describeActivity } from "@/components/sentences";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { attempt, buildWorld, expectDomainError, type World } from "../membership/fixtures";
import { ERROR, GROUP, groupState, linkScimUsers, membershipOf, patchBody, seedScimUsers } from "./group-helpers";
import { scim } from "./helpers";

/** The SSO page's mapping actions called directly: only the session, database and cache are replaced. */
const actions = await import("@/app/orgs/[orgId]/settings/sso/scim-group-actions");

describe.each(testTargets())("SCIM group → project roles on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let token: string;
  const call = (method: string, p: string, body?: unknown) => scim(database.db, token, method, `${w.org.id}${p}`, body);
  const newGroup = async (displayName: string, members: string[] = []) => {
    const r = await call("POST", "/Groups", { schemas: [GROUP], displayName, members: members.map((value) => ({ value })) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  const add = (groupId: string, ...ids: string[]) =>
    call("PATCH", `/Groups/${groupId}`, patchBody({ op: "add", path: "members", value: ids.map((value) => ({ value })) }));
  const remove = (groupId: string, id: string) =>
    call("PATCH", `/Groups/${groupId}`, patchBody({ op: "remove", path: `members[value eq "${id}"]` }));
  const map = (groupId: string, role: m.ProjectRole, projectId = w.project.id) =>
    m.mapScimGroup(database.db, w.actors.owner, { orgId: w.org.id, groupId, projectId, role });
  const sentences = async () =>
    (await database.db.select().from(activity).where(eq(activity.orgId, w.org.id))).map((a) =>
      describeActivity({ ...a, actorScim: a.actorScimTokenId !== null }),
    );

  beforeAll(async () => {
    doubles.db = database.db;
    w = await buildWorld(database.db);
    token = (await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "Entra" })).token;
    // The world's people are provisioned too, so groups may name them.
    await linkScimUsers(database.db, w.org.id, [
      w.actors.admin,
      w.admin2,
      w.actors.readWrite,
      w.actors.readOnly,
      w.target,
      w.actors.member,
    ]);
  });

  it("a mapping gives the group's members the role at once; a member added later gets it, one removed loses it", async () => {
    const [ana, bo] = await seedScimUsers(database.db, w.org.id, 2);
    const g = await newGroup("search-writers", [ana!.id]);
    expect(await membershipOf(database.db, w.project.id, ana!.id)).toBeUndefined();
    expect(await map(g, "read_write")).toEqual({ role: "read_write", changed: 1 });
    expect(await membershipOf(database.db, w.project.id, ana!.id)).toEqual({
      role: "read_write",
      directRole: null,
      groupRole: "read_write",
    });
    expect((await add(g, bo!.id)).status).toBe(204);
    expect(await membershipOf(database.db, w.project.id, bo!.id)).toEqual({
      role: "read_write",
      directRole: null,
      groupRole: "read_write",
    });
    expect((await remove(g, bo!.id)).status).toBe(204);
    expect(await membershipOf(database.db, w.project.id, bo!.id)).toBeUndefined();
    const said = await sentences();
    expect(said).toContain(
      `${w.actors.owner.email} gave the group \u2068search-writers\u2069 Project Read-Write on \u2068${w.project.name}\u2069`,
    );
    expect(said).toContain(
      `${w.actors.owner.email} added ${ana!.email} as Project Read-Write through the group \u2068search-writers\u2069`,
    );
    expect(said).toContain(`SCIM added ${bo!.email} as Project Read-Write through the group \u2068search-writers\u2069`);
    expect(said).toContain(`SCIM removed ${bo!.email} (Project Read-Write) through the group \u2068search-writers\u2069`);
  });

  it("a person keeps the highest of their direct and group roles; removing the group role never removes the direct one", async () => {
    const g = await newGroup("search-admins");
    await map(g, "admin");
    // Direct Project Read-Only, group Project Admin → Project Admin.
    expect((await add(g, w.actors.readOnly.id)).status).toBe(204);
    expect(await membershipOf(database.db, w.project.id, w.actors.readOnly.id)).toEqual({
      role: "admin",
      directRole: "read_only",
      groupRole: "admin",
    });
    expect(await sentences()).toContain(
      `SCIM changed ${w.actors.readOnly.email} from Project Read-Only to Project Admin through the group \u2068search-admins\u2069`,
    );
    // The console changes the direct role; the group's Project Admin still holds.
    await m.changeRole(database.db, w.actors.admin, {
      orgId: w.org.id,
      projectId: w.project.id,
      userId: w.actors.readOnly.id,
      role: "read_write",
    });
    expect(await membershipOf(database.db, w.project.id, w.actors.readOnly.id)).toEqual({
      role: "admin",
      directRole: "read_write",
      groupRole: "admin",
    });
    // Leaving the group takes only what it gave: the direct Project Read-Write stays.
    expect((await remove(g, w.actors.readOnly.id)).status).toBe(204);
    expect(await membershipOf(database.db, w.project.id, w.actors.readOnly.id)).toEqual({
      role: "read_write",
      directRole: "read_write",
      groupRole: null,
    });
    // A direct Project Admin in a Project Read-Only group stays Project Admin, and keeps it when the group goes.
    const low = await newGroup("search-readers");
    await map(low, "read_only");
    expect((await add(low, w.actors.admin.id)).status).toBe(204);
    expect(await membershipOf(database.db, w.project.id, w.actors.admin.id)).toEqual({
      role: "admin",
      directRole: "admin",
      groupRole: "read_only",
    });
    expect((await call("DELETE", `/Groups/${low}`)).status).toBe(204);
    expect(await membershipOf(database.db, w.project.id, w.actors.admin.id)).toEqual({
      role: "admin",
      directRole: "admin",
      groupRole: null,
    });
  });

  it("the highest of several groups' roles holds; unmapping or deleting one group leaves the other's", async () => {
    const [cy] = await seedScimUsers(database.db, w.org.id, 1);
    const a = await newGroup("side-admins", [cy!.id]);
    const b = await newGroup("side-readers", [cy!.id]);
    await map(a, "admin", w.sideProject.id);
    await map(b, "read_only", w.sideProject.id);
    expect(await membershipOf(database.db, w.sideProject.id, cy!.id)).toEqual({ role: "admin", directRole: null, groupRole: "admin" });
    await m.unmapScimGroup(database.db, w.actors.owner, { orgId: w.org.id, groupId: a, projectId: w.sideProject.id });
    expect(await membershipOf(database.db, w.sideProject.id, cy!.id)).toEqual({
      role: "read_only",
      directRole: null,
      groupRole: "read_only",
    });
    // Changing a mapping's role moves everyone's group role with it.
    await map(b, "read_write", w.sideProject.id);
    expect(await membershipOf(database.db, w.sideProject.id, cy!.id)).toEqual({
      role: "read_write",
      directRole: null,
      groupRole: "read_write",
    });
    expect((await call("DELETE", `/Groups/${b}`)).status).toBe(204);
    expect(await membershipOf(database.db, w.sideProject.id, cy!.id)).toBeUndefined();
  });

  it("a SCIM user who is not in the organization (deactivated) gets no group role", async () => {
    const [gone] = await seedScimUsers(database.db, w.org.id, 1, { inOrg: false });
    const g = await newGroup("with-inactive", [gone!.id]);
    await map(g, "read_write");
    expect(await membershipOf(database.db, w.project.id, gone!.id)).toBeUndefined();
  });

  it("never takes a project's last Project Admin: leaving the group, unmapping, lowering the mapping or deleting the group is refused, nothing changed", async () => {
    const w2 = await buildWorld(database.db);
    const t2 = (await m.createScimToken(database.db, w2.actors.owner, { orgId: w2.org.id, name: "t" })).token;
    const [dee] = await seedScimUsers(database.db, w2.org.id, 1);
    const created = await scim(database.db, t2, "POST", `${w2.org.id}/Groups`, {
      displayName: "side-owners",
      members: [{ value: dee!.id }],
    });
    const g = created.body.id as string;
    await m.mapScimGroup(database.db, w2.actors.owner, { orgId: w2.org.id, groupId: g, projectId: w2.sideProject.id, role: "admin" });
    // The side project's direct admin steps down: Dee, through the group, is now its only Project Admin.
    await m.changeRole(database.db, w2.admin2, { orgId: w2.org.id, projectId: w2.sideProject.id, userId: w2.admin2.id, role: "read_only" });
    expect(await membershipOf(database.db, w2.sideProject.id, dee!.id)).toMatchObject({ role: "admin", groupRole: "admin" });

    const before = await groupState(database.db, w2.org.id);
    const leave = await scim(
      database.db,
      t2,
      "PATCH",
      `${w2.org.id}/Groups/${g}`,
      patchBody({ op: "Remove", path: "members", value: [{ value: dee!.id }] }),
    );
    expect(leave.status).toBe(409);
    expect(leave.body).toMatchObject({ schemas: [ERROR], status: "409" });
    expect(leave.body.detail).toBe(
      `${dee!.email} is the only Project Admin of ${w2.sideProject.name}, and that role comes from the group side-owners, so SCIM cannot take it away. ` +
        `Make another collaborator a Project Admin in the console first; nothing was changed.`,
    );
    const replaced = await scim(database.db, t2, "PUT", `${w2.org.id}/Groups/${g}`, { displayName: "side-owners", members: [] });
    expect(replaced.status).toBe(409);
    const deleted = await scim(database.db, t2, "DELETE", `${w2.org.id}/Groups/${g}`);
    expect(deleted.status).toBe(409);
    const ids = { orgId: w2.org.id, groupId: g, projectId: w2.sideProject.id };
    await expectDomainError(m.unmapScimGroup(database.db, w2.actors.owner, ids), "LAST_ADMIN");
    await expectDomainError(m.mapScimGroup(database.db, w2.actors.owner, { ...ids, role: "read_write" }), "LAST_ADMIN");
    expect(await groupState(database.db, w2.org.id)).toEqual(before);

    // With another Project Admin, the same removal goes through.
    await m.changeRole(database.db, w2.actors.owner, {
      orgId: w2.org.id,
      projectId: w2.sideProject.id,
      userId: w2.admin2.id,
      role: "admin",
    });
    expect(
      (
        await scim(
          database.db,
          t2,
          "PATCH",
          `${w2.org.id}/Groups/${g}`,
          patchBody({ op: "Remove", path: "members", value: [{ value: dee!.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(await membershipOf(database.db, w2.sideProject.id, dee!.id)).toBeUndefined();
  });

  it("the console sets the direct role under a higher group role, and checks the last admin only when Project Admin really ends", async () => {
    const w3 = await buildWorld(database.db);
    const t3 = (await m.createScimToken(database.db, w3.actors.owner, { orgId: w3.org.id, name: "t" })).token;
    await linkScimUsers(database.db, w3.org.id, [w3.admin2]);
    const g = (
      await scim(database.db, t3, "POST", `${w3.org.id}/Groups`, { displayName: "side-admins", members: [{ value: w3.admin2.id }] })
    ).body.id as string;
    await m.mapScimGroup(database.db, w3.actors.owner, { orgId: w3.org.id, groupId: g, projectId: w3.sideProject.id, role: "admin" });
    const ids = { orgId: w3.org.id, projectId: w3.sideProject.id, userId: w3.admin2.id };
    // admin2 is the side project's only Project Admin, directly and through the group: lowering the
    // direct role keeps them Project Admin, so it is not a last-admin refusal.
    await m.changeRole(database.db, w3.actors.owner, { ...ids, role: "read_only" });
    expect(await membershipOf(database.db, w3.sideProject.id, w3.admin2.id)).toEqual({
      role: "admin",
      directRole: "read_only",
      groupRole: "admin",
    });
    // Setting the direct role back to Project Admin is written although the role that counts does not change.
    await m.changeRole(database.db, w3.actors.owner, { ...ids, role: "admin" });
    expect(await membershipOf(database.db, w3.sideProject.id, w3.admin2.id)).toEqual({
      role: "admin",
      directRole: "admin",
      groupRole: "admin",
    });
    // So leaving the group now keeps the direct Project Admin.
    expect(
      (
        await scim(
          database.db,
          t3,
          "PATCH",
          `${w3.org.id}/Groups/${g}`,
          patchBody({ op: "Remove", path: "members", value: [{ value: w3.admin2.id }] }),
        )
      ).status,
    ).toBe(204);
    expect(await membershipOf(database.db, w3.sideProject.id, w3.admin2.id)).toEqual({
      role: "admin",
      directRole: "admin",
      groupRole: null,
    });
    await expectDomainError(m.changeRole(database.db, w3.actors.owner, { ...ids, role: "read_only" }), "LAST_ADMIN");
  });

  it("a reactivated SCIM user gets their groups' roles back", async () => {
    const [eve] = await seedScimUsers(database.db, w.org.id, 1);
    const g = await newGroup("comeback", [eve!.id]);
    await map(g, "read_write", w.sideProject.id);
    expect((await call("PATCH", `/Users/${eve!.id}`, patchBody({ op: "replace", path: "active", value: false }))).status).toBe(200);
    expect(await membershipOf(database.db, w.sideProject.id, eve!.id)).toBeUndefined();
    expect((await call("PATCH", `/Users/${eve!.id}`, patchBody({ op: "replace", path: "active", value: true }))).status).toBe(200);
    const [member] = await database.db
      .select()
      .from(organizationMemberships)
      .where(and(eq(organizationMemberships.orgId, w.org.id), eq(organizationMemberships.userId, eve!.id)));
    expect(member).toBeDefined();
    expect(await membershipOf(database.db, w.sideProject.id, eve!.id)).toEqual({
      role: "read_write",
      directRole: null,
      groupRole: "read_write",
    });
  });

  describe("Owners only", () => {
    let g: string;
    beforeAll(async () => {
      g = await newGroup("guarded");
    });
    const refusals = () =>
      [
        [null, "UNAUTHENTICATED"],
        [w.actors.member, "FORBIDDEN"],
        [w.actors.admin, "FORBIDDEN"],
        [w.foreign.owner, "NOT_FOUND"],
      ] as const;

    it("the mapping verbs refuse a Member, a Project Admin, the signed out and another organization's Owner, changing nothing", async () => {
      const ids = { orgId: w.org.id, groupId: g, projectId: w.project.id };
      for (const [actor, code] of refusals()) {
        const before = await groupState(database.db, w.org.id);
        await expectDomainError(m.mapScimGroup(database.db, actor, { ...ids, role: "admin" }), code);
        await expectDomainError(m.unmapScimGroup(database.db, actor, ids), code);
        await expectDomainError(m.listScimGroupMappings(database.db, actor, { orgId: w.org.id }), code);
        expect(await groupState(database.db, w.org.id)).toEqual(before);
      }
      // Another organization's group or project is not found, even for this organization's Owner.
      const theirs = (await m.createScimToken(database.db, w.foreign.owner, { orgId: w.foreign.org.id, name: "B" })).token;
      const foreignGroup = (await scim(database.db, theirs, "POST", `${w.foreign.org.id}/Groups`, { displayName: "guarded" })).body
        .id as string;
      await expectDomainError(m.mapScimGroup(database.db, w.actors.owner, { ...ids, groupId: foreignGroup, role: "admin" }), "NOT_FOUND");
      await expectDomainError(
        m.mapScimGroup(database.db, w.actors.owner, { ...ids, projectId: w.foreign.project.id, role: "admin" }),
        "NOT_FOUND",
      );
    });

    it("the server actions refuse them too; an Owner's mapping and unmapping go through", async () => {
      const input = { orgId: w.org.id, groupId: g, projectId: w.project.id };
      for (const [actor, code] of refusals()) {
        doubles.actor = actor;
        const before = await groupState(database.db, w.org.id);
        expect(await actions.mapScimGroupAction({ ...input, role: "admin" })).toMatchObject({ ok: false, code });
        expect(await actions.unmapScimGroupAction(input)).toMatchObject({ ok: false, code });
        expect(await groupState(database.db, w.org.id)).toEqual(before);
      }
      doubles.actor = w.actors.owner;
      expect(await actions.mapScimGroupAction({ ...input, role: "superuser" as never })).toMatchObject({ ok: false, code: "INVALID" });
      expect(await actions.mapScimGroupAction({ ...input, role: "read_only" })).toEqual({
        ok: true,
        data: { role: "read_only", changed: 0 },
      });
      const listed = await m.listScimGroupMappings(database.db, w.actors.owner, { orgId: w.org.id });
      expect(listed.groups.find((x) => x.id === g)).toMatchObject({
        displayName: "guarded",
        memberCount: 0,
        mappings: [{ projectId: w.project.id, projectName: w.project.name, role: "read_only" }],
      });
      expect(await actions.unmapScimGroupAction(input)).toEqual({ ok: true, data: { removed: 0 } });
      const again = await attempt(() => m.unmapScimGroup(database.db, w.actors.owner, input));
      expect(again.ok).toBe(false);
    });
  });
});
