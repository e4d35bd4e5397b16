import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { createTestDatabase, testTargets, type TestDatabase } from "../db";
import { buildWorld, expectDomainError } from "./fixtures";

describe.each(testTargets())("the project page read while access changes on %s", (kind) => {
  let database: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("an admin demoted between the access read and the lists gets the fresh, read-only view", async () => {
    const w = await buildWorld(db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const view = await m.readProjectPage(db, w.actors.admin, ids, {
      betweenReads: async (attempt) => {
        if (attempt === 1) {
          await db.update(projectMemberships).set({ role: "read_only" }).where(and(eq(projectMemberships.projectId, w.project.id), eq(projectMemberships.userId, w.actors.admin.id)));
        }
      },
    });
    expect(view.overview.projectRole).toBe("read_only");
    expect(view.invitations).toBeNull();
    expect(view.activity).toBeNull();
    expect(view.collaborators.items.length).toBeGreaterThan(0);
  });

  it("a collaborator removed between the reads gets not found, never an unexpected error", async () => {
    const w = await buildWorld(db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    await expectDomainError(
      m.readProjectPage(db, w.actors.readWrite, ids, {
        betweenReads: async () => {
          await db.delete(projectMemberships).where(and(eq(projectMemberships.projectId, w.project.id), eq(projectMemberships.userId, w.actors.readWrite.id)));
        },
      }),
      "NOT_FOUND",
    );
  });

  it("access that keeps changing under the reads ends in not found after one fresh try", async () => {
    const w = await buildWorld(db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const mine = and(eq(projectMemberships.projectId, w.project.id), eq(projectMemberships.userId, w.actors.admin.id));
    await expectDomainError(
      m.readProjectPage(db, w.actors.admin, ids, {
        betweenReads: async (attempt) => {
          // Demoted during the first read, removed during the fresh one.
          if (attempt === 1) await db.update(projectMemberships).set({ role: "read_only" }).where(mine);
          else await db.delete(projectMemberships).where(mine);
        },
      }),
      "NOT_FOUND",
    );
  });
});
