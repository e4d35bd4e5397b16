import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, type World } from "../membership/fixtures";

describe.each(testTargets())("project role sources (direct and SCIM group) on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });
  const row = async (userId: string) =>
    (
      await database.db
        .select({ role: projectMemberships.role, directRole: projectMemberships.directRole, groupRole: projectMemberships.groupRole })
        .from(projectMemberships)
        .where(and(eq(projectMemberships.projectId, w.project.id), eq(projectMemberships.userId, userId)))
    )[0];

  it("a membership written without naming a source is direct: direct_role follows role", async () => {
    expect(await row(w.actors.readOnly.id)).toEqual({ role: "read_only", directRole: "read_only", groupRole: null });
    await m.changeRole(database.db, w.actors.admin, {
      orgId: w.org.id,
      projectId: w.project.id,
      userId: w.actors.readOnly.id,
      role: "read_write",
    });
    expect(await row(w.actors.readOnly.id)).toEqual({ role: "read_write", directRole: "read_write", groupRole: null });
  });

  it("the console's change of role sets the direct role; a higher group role still holds", async () => {
    await database.db
      .update(projectMemberships)
      .set({ groupRole: "admin", role: "admin" })
      .where(and(eq(projectMemberships.projectId, w.project.id), eq(projectMemberships.userId, w.target.id)));
    await m.changeRole(database.db, w.actors.admin, { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_write" });
    expect(await row(w.target.id)).toEqual({ role: "admin", directRole: "read_write", groupRole: "admin" });
  });

  it("clearing both sources of a membership leaves it direct, never sourceless", async () => {
    await expect(
      database.db.execute(
        sql`update project_memberships set group_role = 'read_only', direct_role = null
          where project_id = ${w.project.id} and user_id = ${w.actors.readWrite.id}`,
      ),
    ).resolves.toBeDefined();
    await expect(
      database.db.execute(
        sql`update project_memberships set group_role = null, direct_role = null, role = role
          where project_id = ${w.project.id} and user_id = ${w.actors.readWrite.id}`,
      ),
    ).resolves.toBeDefined();
    // With no group role the trigger makes the role the direct role again, so the check holds.
    expect(await row(w.actors.readWrite.id)).toMatchObject({ directRole: "read_write", groupRole: null });
  });
});
