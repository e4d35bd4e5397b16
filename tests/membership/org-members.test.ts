import { describe, expect, it } from "vitest";
import { listOrganizationMembers } from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError } from "./fixtures";

describe.each(testTargets())("listOrganizationMembers on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("shows owners every member with their project count, owners first", async () => {
    const w = await buildWorld(database.db);
    const page = await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id });
    expect(page.total).toBe(7);
    expect(page.items[0]).toMatchObject({ email: w.actors.owner.email, role: "owner", projects: 0 });
    expect(page.items.find((m) => m.email === w.admin2.email)?.projects).toBe(2);
    expect(page.items.find((m) => m.email === w.actors.member.email)?.projects).toBe(0);
  });

  it("searches by name or email on the server, matching % and _ literally", async () => {
    const w = await buildWorld(database.db);
    const byEmail = await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, q: w.admin2.email.toUpperCase() });
    expect(byEmail.items.map((m) => m.email)).toEqual([w.admin2.email]);
    expect(byEmail.total).toBe(1);
    const byName = await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, q: "readwrite" });
    expect(byName.items.map((m) => m.email)).toEqual([w.actors.readWrite.email]);
    expect((await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, q: "%" })).total).toBe(0);
    expect((await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, q: "_" })).total).toBe(0);
  });

  it("filters by organization role, with the search, counting what matches", async () => {
    const w = await buildWorld(database.db);
    const owners = await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, role: "owner" });
    expect(owners.items.every((m) => m.role === "owner")).toBe(true);
    expect(owners.total).toBe(owners.items.length);
    const members = await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, role: "member" });
    expect(owners.total + members.total).toBe(7);
    expect((await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, role: "owner", q: w.admin2.email })).total).toBe(
      0,
    );
    // An unknown role filters nothing out, as on the project lists.
    expect((await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id, role: "nobody" })).total).toBe(7);
  });

  it("lets members look, refuses outsiders and other tenants (not found), and the signed out", async () => {
    const w = await buildWorld(database.db);
    expect((await listOrganizationMembers(database.db, w.actors.admin, { orgId: w.org.id })).total).toBe(7);
    await expectDomainError(listOrganizationMembers(database.db, w.actors.outsider, { orgId: w.org.id }), "NOT_FOUND");
    await expectDomainError(listOrganizationMembers(database.db, w.actors.owner, { orgId: w.foreign.org.id }), "NOT_FOUND");
    await expectDomainError(listOrganizationMembers(database.db, null, { orgId: w.org.id }), "UNAUTHENTICATED");
  });
});
