import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOrganizationMembers } from "@/lib/membership";
import { createTestDatabase, testTargets, type TestDatabase } from "../db";
import { buildWorld, expectDomainError } from "./fixtures";

describe.each(testTargets())("listOrganizationMembers on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });

  it("shows owners every member with their project count, owners first", async () => {
    const w = await buildWorld(database.db);
    const page = await listOrganizationMembers(database.db, w.actors.owner, { orgId: w.org.id });
    expect(page.total).toBe(7);
    expect(page.items[0]).toMatchObject({ email: w.actors.owner.email, role: "owner", projects: 0 });
    expect(page.items.find((m) => m.email === w.admin2.email)?.projects).toBe(2);
    expect(page.items.find((m) => m.email === w.actors.member.email)?.projects).toBe(0);
  });

  it("refuses members (forbidden), outsiders and other tenants (not found), and the signed out", async () => {
    const w = await buildWorld(database.db);
    await expectDomainError(listOrganizationMembers(database.db, w.actors.admin, { orgId: w.org.id }), "FORBIDDEN");
    await expectDomainError(listOrganizationMembers(database.db, w.actors.outsider, { orgId: w.org.id }), "NOT_FOUND");
    await expectDomainError(listOrganizationMembers(database.db, w.actors.owner, { orgId: w.foreign.org.id }), "NOT_FOUND");
    await expectDomainError(listOrganizationMembers(database.db, null, { orgId: w.org.id }), "UNAUTHENTICATED");
  });
});
