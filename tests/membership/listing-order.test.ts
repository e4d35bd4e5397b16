import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activity, projectMemberships, users } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { addCollaborators, addOrgMembers, createOrganization, createProjectRow, createUsers } from "./fixtures";

/**
 * The collaborators list is ordered by (role, email) straight from project_memberships, whose
 * email column a trigger copies from users (the app never writes it): one index serves any page.
 */
describe.each(testTargets())("list order and counts on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("copies the address into every new membership, follows a changed address, and lists admins, then read-write, then read-only, each by address", async () => {
    const db = database.db;
    const org = await createOrganization(db);
    const project = await createProjectRow(db, org.id);
    const people = await createUsers(db, ["zed", "amy", "bob", "cat", "dan"]);
    const [zed, amy, bob, cat, dan] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ];
    await addOrgMembers(
      db,
      org.id,
      people.map((user) => ({ user, role: user === zed ? ("owner" as const) : ("member" as const) })),
    );
    await addCollaborators(db, { orgId: org.id, projectId: project.id }, [
      { user: dan, role: "read_only" },
      { user: bob, role: "read_write" },
      { user: zed, role: "admin" },
      { user: amy, role: "read_only" },
      { user: cat, role: "admin" },
    ]);
    const stored = await db
      .select({ userId: projectMemberships.userId, email: projectMemberships.email })
      .from(projectMemberships)
      .where(eq(projectMemberships.projectId, project.id));
    for (const row of stored) expect(row.email).toBe(people.find((p) => p.id === row.userId)!.email);

    const renamed = `aaa-${amy.email}`;
    await db.update(users).set({ email: renamed }).where(eq(users.id, amy.id));
    const [followed] = await db
      .select({ email: projectMemberships.email })
      .from(projectMemberships)
      .where(eq(projectMemberships.userId, amy.id));
    expect(followed?.email).toBe(renamed);

    const list = await m.listCollaborators(db, zed, { orgId: org.id, projectId: project.id });
    const sorted = (emails: string[]) => [...emails].sort();
    expect(list.items.map((c) => c.email)).toEqual([...sorted([cat.email, zed.email]), bob.email, ...sorted([renamed, dan.email])]);
  });

  it("counts a project's activity up to 10,000 records and says when there are more", async () => {
    const db = database.db;
    const org = await createOrganization(db);
    const [small, large] = [await createProjectRow(db, org.id), await createProjectRow(db, org.id)];
    const [owner] = await createUsers(db, ["owner"]);
    await addOrgMembers(db, org.id, [{ user: owner!, role: "owner" }]);
    const fill = (projectId: string, n: number) =>
      db.execute(sql`insert into ${activity} (org_id, project_id, action, target_email, created_at)
        select ${org.id}, ${projectId}, 'member.added', 'person' || g || '@example.test', now() - make_interval(secs => g) from generate_series(1, ${n}) g`);
    await fill(small.id, 3);
    await fill(large.id, m.ACTIVITY_COUNT_CAP + 5);

    const few = await m.listActivity(db, owner!, { orgId: org.id, projectId: small.id });
    expect(few).toMatchObject({ total: 3, start: 0, prev: null, next: null });
    expect(few.capped).toBeUndefined();
    const many = await m.listActivity(db, owner!, { orgId: org.id, projectId: large.id });
    expect(many).toMatchObject({ total: m.ACTIVITY_COUNT_CAP, capped: true, start: 0, prev: null });
    expect(many.items.map((i) => i.targetEmail).slice(0, 2)).toEqual(["person1@example.test", "person2@example.test"]);
    const whole = await m.listOrganizationActivity(db, owner!, { orgId: org.id });
    expect(whole).toMatchObject({ total: m.ACTIVITY_COUNT_CAP, capped: true });
  });
});
