import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError } from "./fixtures";

const mine = (projectId: string, userId: string) => and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.userId, userId));

describe.each(testTargets())("the project page read on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("shows each role what it may see, read with one access check", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const admin = await m.readProjectPage(database.db, w.actors.admin, ids);
    expect(admin.overview.projectRole).toBe("admin");
    expect(admin.invitations).not.toBeNull();
    expect(admin.activity).not.toBeNull();
    const readOnly = await m.readProjectPage(database.db, w.actors.readOnly, ids);
    expect(readOnly.invitations).toBeNull();
    expect(readOnly.activity).toBeNull();
    expect(readOnly.collaborators.items.length).toBeGreaterThan(0);
    await expectDomainError(m.readProjectPage(database.db, w.actors.outsider, ids), "NOT_FOUND");
    await expectDomainError(m.readProjectPage(database.db, null, ids), "UNAUTHENTICATED");
  });

  it("after a demotion the next read is the read-only view; after a removal, not found", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    await database.db.update(projectMemberships).set({ role: "read_only" }).where(mine(w.project.id, w.actors.admin.id));
    const view = await m.readProjectPage(database.db, w.actors.admin, ids);
    expect(view.overview.projectRole).toBe("read_only");
    expect(view.invitations).toBeNull();
    expect(view.activity).toBeNull();
    await database.db.delete(projectMemberships).where(mine(w.project.id, w.actors.readWrite.id));
    await expectDomainError(m.readProjectPage(database.db, w.actors.readWrite, ids), "NOT_FOUND");
  });
});

// Another connection changes access while the page is being read: only a server has a second connection.
describe("the project page read while access changes on another connection (postgres)", () => {
  const database = useTestDatabase("postgres");

  it("a demotion committed between the access read and the lists is not half seen: the view is the admin's, whole", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const view = await m.readProjectPage(database.db, w.actors.admin, ids, {
      afterAccess: async () => {
        await database.db.update(projectMemberships).set({ role: "read_only" }).where(mine(w.project.id, w.actors.admin.id));
      },
    });
    expect(view.overview.projectRole).toBe("admin");
    expect(view.collaborators.items.find((c) => c.userId === w.actors.admin.id)?.role).toBe("admin");
    expect(view.invitations).not.toBeNull();
    const next = await m.readProjectPage(database.db, w.actors.admin, ids);
    expect(next.overview.projectRole).toBe("read_only");
    expect(next.invitations).toBeNull();
  });

  it("a removal committed during the read leaves that read whole; the next one is not found", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const view = await m.readProjectPage(database.db, w.actors.readWrite, ids, {
      afterAccess: async () => {
        await database.db.delete(projectMemberships).where(mine(w.project.id, w.actors.readWrite.id));
      },
    });
    expect(view.collaborators.items.some((c) => c.userId === w.actors.readWrite.id)).toBe(true);
    await expectDomainError(m.readProjectPage(database.db, w.actors.readWrite, ids), "NOT_FOUND");
  });
});
