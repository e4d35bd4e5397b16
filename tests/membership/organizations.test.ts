import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { projects } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { activityFor, buildWorld, createUser, expectDomainError, invitationRow, orgRoleOf, outboxFor, projectRoleOf } from "./fixtures";

describe.each(testTargets())("organizations and projects on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("someone with no organization starts one: Owner, with an undeletable Default Project they administer", async () => {
    const db = database.db;
    const founder = await createUser(db, "founder");
    expect(await m.listOrganizations(db, founder)).toEqual([]);
    const { orgId, projectId } = await m.createOrganization(db, founder, { name: "  Fresh Vectors  " });
    expect(await m.listOrganizations(db, founder)).toEqual([{ id: orgId, name: "Fresh Vectors", role: "owner" }]);
    expect(await orgRoleOf(db, orgId, founder.id)).toBe("owner");
    expect(await projectRoleOf(db, projectId, founder.id)).toBe("admin");
    const listed = await m.listProjects(db, founder, { orgId });
    expect(listed.projects).toEqual([{ id: projectId, name: "Default Project", role: "admin", isDefault: true }]);
    const err = await expectDomainError(m.deleteProject(db, founder, { orgId, projectId, confirmName: "Default Project" }), "CONFLICT");
    expect(err.message).toBe("The Default Project cannot be deleted.");
    expect((await activityFor(db, orgId)).map((a) => a.action).sort()).toEqual(["organization.created", "project.created"]);
    // Anyone may start another one later.
    const second = await m.createOrganization(db, founder, { name: "Second" });
    expect((await m.listOrganizations(db, founder)).map((o) => o.id).sort()).toEqual([orgId, second.orgId].sort());
  });

  it("refuses empty, long and control-character names, and the signed out", async () => {
    const db = database.db;
    const someone = await createUser(db, "someone");
    for (const name of ["", "   ", "x".repeat(81), "a\u0000b", "a\nb"])
      await expectDomainError(m.createOrganization(db, someone, { name }), "INVALID");
    await expectDomainError(m.createOrganization(db, null, { name: "Nope" }), "UNAUTHENTICATED");
    expect(await m.listOrganizations(db, someone)).toEqual([]);
  });

  it("only Organization Owners create projects", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const err = await expectDomainError(m.createProject(db, w.actors.admin, { orgId: w.org.id, name: "Mine" }), "FORBIDDEN");
    expect(err.message).toBe("Only an Organization Owner can do that.");
    const { id } = await m.createProject(db, w.actors.owner, { orgId: w.org.id, name: "Owned" });
    expect(await projectRoleOf(db, id, w.actors.owner.id)).toBe("admin");
  });

  it("at most 100 projects per organization, refused with a clear message", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    // The world has two projects; fill up to the limit directly.
    await db
      .insert(projects)
      .values(Array.from({ length: m.MAX_PROJECTS_PER_ORG - 2 }, (_, i) => ({ orgId: w.org.id, name: `Filler ${i}` })));
    const err = await expectDomainError(m.createProject(db, w.actors.owner, { orgId: w.org.id, name: "One too many" }), "LIMIT_REACHED");
    expect(err.message).toContain("already has 100 projects");
    const [n] = await db.select({ n: count() }).from(projects).where(eq(projects.orgId, w.org.id));
    expect(n?.n).toBe(100);
    // Another organization is not affected.
    await m.createProject(db, w.foreign.owner, { orgId: w.foreign.org.id, name: "Fine" });
  });

  it("owners rename a project; the activity keeps the former name", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    await m.renameProject(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, name: "Renamed" });
    const [row] = await db.select().from(projects).where(eq(projects.id, w.project.id));
    expect(row?.name).toBe("Renamed");
    const [entry] = await activityFor(db, w.org.id, w.project.id);
    expect(entry).toMatchObject({ action: "project.renamed", detail: w.project.name, projectName: "Renamed" });
    await expectDomainError(
      m.renameProject(db, w.actors.admin, { orgId: w.org.id, projectId: w.project.id, name: "Admin's" }),
      "FORBIDDEN",
    );
    await expectDomainError(
      m.renameProject(db, w.actors.owner, { orgId: w.org.id, projectId: w.foreign.project.id, name: "Theirs" }),
      "NOT_FOUND",
    );
  });

  it("deleting a project needs its name typed, revokes its invitations and removes its collaborators, all recorded", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    await expectDomainError(m.deleteProject(db, w.actors.owner, { ...ids, confirmName: "wrong" }), "INVALID");
    await expectDomainError(m.deleteProject(db, w.actors.admin, { ...ids, confirmName: w.project.name }), "FORBIDDEN");
    // A queued invitation email must not go out for a project that is gone.
    const before = (await outboxFor(db, w.actors.invitee.email)).length;
    const result = await m.deleteProject(db, w.actors.owner, { ...ids, confirmName: ` ${w.project.name} ` });
    expect(result).toEqual({ name: w.project.name, removed: 5, revoked: 2 });
    expect(
      await db
        .select()
        .from(projects)
        .where(and(eq(projects.id, w.project.id))),
    ).toEqual([]);
    expect(await projectRoleOf(db, w.project.id, w.target.id)).toBeNull();
    // Organization membership stays; only the project access went.
    expect(await orgRoleOf(db, w.org.id, w.target.id)).toBe("member");
    expect((await invitationRow(db, w.invitation.id))?.status).toBe("revoked");
    expect((await outboxFor(db, w.actors.invitee.email)).length).toBe(before);
    const log = (await activityFor(db, w.org.id)).filter((a) => a.projectName === w.project.name && a.projectId === null);
    expect(log.filter((a) => a.action === "member.removed")).toHaveLength(5);
    expect(log.filter((a) => a.action === "invitation.revoked")).toHaveLength(2);
    expect(log.filter((a) => a.action === "project.deleted")).toHaveLength(1);
    // The older history of the project stays with the organization too.
    const older = (await activityFor(db, w.org.id)).filter(
      (a) => a.action === "invitation.created" && a.targetEmail === w.actors.invitee.email,
    );
    expect(older.map((a) => a.projectId)).toEqual([null]);
  });
});
