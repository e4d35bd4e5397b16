import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectMemberships, users } from "@/db/schema";
import * as m from "@/lib/membership";
import { createTestDatabase, testTargets, type TestDatabase } from "../db";
import { addCollaborators, addOrgMembers, createOrganization, createProjectRow, createUsers } from "./fixtures";

/**
 * The collaborators list is ordered by (role, email) straight from project_memberships, whose
 * email column a trigger copies from users (the app never writes it): one index serves any page.
 */
describe.each(testTargets())("the collaborators list's order on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("copies the address into every new membership, follows a changed address, and lists admins, then read-write, then read-only, each by address", async () => {
    const db = database.db;
    const org = await createOrganization(db);
    const project = await createProjectRow(db, org.id);
    const people = await createUsers(db, ["zed", "amy", "bob", "cat", "dan"]);
    const [zed, amy, bob, cat, dan] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0], (typeof people)[0], (typeof people)[0]];
    await addOrgMembers(db, org.id, people.map((user) => ({ user, role: user === zed ? ("owner" as const) : ("member" as const) })));
    await addCollaborators(db, { orgId: org.id, projectId: project.id }, [
      { user: dan, role: "read_only" },
      { user: bob, role: "read_write" },
      { user: zed, role: "admin" },
      { user: amy, role: "read_only" },
      { user: cat, role: "admin" },
    ]);
    const stored = await db.select({ userId: projectMemberships.userId, email: projectMemberships.email }).from(projectMemberships).where(eq(projectMemberships.projectId, project.id));
    for (const row of stored) expect(row.email).toBe(people.find((p) => p.id === row.userId)!.email);

    const renamed = `aaa-${amy.email}`;
    await db.update(users).set({ email: renamed }).where(eq(users.id, amy.id));
    const [followed] = await db.select({ email: projectMemberships.email }).from(projectMemberships).where(eq(projectMemberships.userId, amy.id));
    expect(followed?.email).toBe(renamed);

    const list = await m.listCollaborators(db, zed, { orgId: org.id, projectId: project.id });
    const sorted = (emails: string[]) => [...emails].sort();
    expect(list.items.map((c) => c.email)).toEqual([...sorted([cat.email, zed.email]), bob.email, ...sorted([renamed, dan.email])]);
  });
});
