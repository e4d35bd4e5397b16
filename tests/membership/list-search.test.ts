import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { addCollaborators, addOrgMembers, buildWorld, expectDomainError, insertInvitation, uniqueEmail, readProjectPage } from "./fixtures";

describe.each(testTargets())("searching and filtering the project lists on %s", (kind) => {
  const database = useTestDatabase(kind);

  const emailsOf = (page: { items: { email: string }[] }) => page.items.map((i) => i.email).sort();

  it("collaborators match the start of an address or a name, in any case", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    expect(emailsOf(await m.listCollaborators(database.db, w.actors.readOnly, { ...ids, q: "  ADMIN " }))).toEqual(
      [w.actors.admin.email, w.admin2.email].sort(),
    );
    const byName = await m.listCollaborators(database.db, w.actors.readOnly, { ...ids, q: `Readwrite ${w.tag}` });
    expect(emailsOf(byName)).toEqual([w.actors.readWrite.email]);
    expect(byName.total).toBe(1);
    // Prefix, not substring: the tag sits inside every address, at no start.
    expect((await m.listCollaborators(database.db, w.actors.readOnly, { ...ids, q: w.tag })).total).toBe(0);
  });

  it("a role filter keeps one role, and combines with the search", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const readOnly = await m.listCollaborators(database.db, w.actors.admin, { ...ids, role: "read_only" });
    expect(emailsOf(readOnly)).toEqual([w.actors.readOnly.email, w.target.email].sort());
    expect(readOnly.total).toBe(2);
    expect(emailsOf(await m.listCollaborators(database.db, w.actors.admin, { ...ids, role: "read_only", q: "target" }))).toEqual([
      w.target.email,
    ]);
    expect((await m.listCollaborators(database.db, w.actors.admin, { ...ids, role: "admin", q: "target" })).total).toBe(0);
  });

  it("wildcards and control characters are taken literally; an unknown role filters nothing", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    expect((await m.listCollaborators(database.db, w.actors.admin, { ...ids, q: "%" })).total).toBe(0);
    expect((await m.listCollaborators(database.db, w.actors.admin, { ...ids, q: "_dmin" })).total).toBe(0);
    expect(emailsOf(await m.listCollaborators(database.db, w.actors.admin, { ...ids, q: "tar\u0000get" }))).toEqual([w.target.email]);
    expect((await m.listCollaborators(database.db, w.actors.admin, { ...ids, role: "owner' or 1=1" })).total).toBe(5);
  });

  it("a search finds people beyond the first page and never people of another project", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const many = Array.from({ length: 60 }, (_, i) => ({
      id: crypto.randomUUID(),
      email: uniqueEmail(`bulk${String(i).padStart(2, "0")}`, w.tag),
      name: null,
    }));
    await database.db.insert(users).values(many);
    await addOrgMembers(
      database.db,
      w.org.id,
      many.map((u) => ({ user: u, role: "member" as const })),
    );
    await addCollaborators(
      database.db,
      ids,
      many.map((u) => ({ user: u, role: "read_only" as const })),
    );
    const found = await m.listCollaborators(database.db, w.actors.admin, { ...ids, q: "bulk59" });
    expect(emailsOf(found)).toEqual([many[59]!.email]);
    // admin2 works on the side project too; the outsider's project is another tenant's.
    expect((await m.listCollaborators(database.db, w.actors.admin, { ...ids, q: "outsider" })).total).toBe(0);
  });

  it("pending invitations match the start of the address and the role granted here", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const other = await insertInvitation(database.db, {
      ...ids,
      email: uniqueEmail("zeta", w.tag),
      role: "admin",
      invitedById: w.actors.admin.id,
      sentAt: w.now,
    });
    expect(emailsOf(await m.listPendingInvitations(database.db, w.actors.admin, { ...ids, q: "STRANGER" }, { now: w.now }))).toEqual([
      w.strangerInvitation.email,
    ]);
    expect(emailsOf(await m.listPendingInvitations(database.db, w.actors.admin, { ...ids, role: "admin" }, { now: w.now }))).toEqual([
      other.email,
    ]);
    expect(
      (await m.listPendingInvitations(database.db, w.actors.admin, { ...ids, role: "admin", q: "stranger" }, { now: w.now })).total,
    ).toBe(0);
    expect((await m.listPendingInvitations(database.db, w.actors.admin, { ...ids, q: "foreigninvitee" }, { now: w.now })).total).toBe(0);
  });

  it("filters change nothing about who may read: a Read-Only collaborator still may not list invitations", async () => {
    const w = await buildWorld(database.db);
    await expectDomainError(
      m.listPendingInvitations(database.db, w.actors.readOnly, { orgId: w.org.id, projectId: w.project.id, q: "a" }),
      "FORBIDDEN",
    );
    await expectDomainError(
      m.listCollaborators(database.db, w.actors.outsider, { orgId: w.org.id, projectId: w.project.id, q: "a" }),
      "NOT_FOUND",
    );
  });

  it("the page read applies each list's filter", async () => {
    const w = await buildWorld(database.db);
    const view = await readProjectPage(database.db, w.actors.admin, {
      orgId: w.org.id,
      projectId: w.project.id,
      filters: { collaborators: { q: "readonly" }, invitations: { role: "read_write" } },
    });
    expect(emailsOf(view.collaborators)).toEqual([w.actors.readOnly.email]);
    expect(emailsOf(view.invitations!)).toEqual([w.invitation.email]);
  });
});
