import { and, eq, ne } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { activity, projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, readProjectPage } from "./fixtures";

const mine = (projectId: string, userId: string) => and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.userId, userId));

describe.each(testTargets())("the project page read on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("shows each role what it may see, read with one access check", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const admin = await readProjectPage(database.db, w.actors.admin, ids);
    expect(admin.overview.projectRole).toBe("admin");
    expect(admin.invitations).not.toBeNull();
    expect(admin.activity).not.toBeNull();
    const readOnly = await readProjectPage(database.db, w.actors.readOnly, ids);
    expect(readOnly.invitations).toBeNull();
    expect(readOnly.activity).toBeNull();
    expect(readOnly.collaborators.items.length).toBeGreaterThan(0);
    await expectDomainError(readProjectPage(database.db, w.actors.outsider, ids), "NOT_FOUND");
    await expectDomainError(readProjectPage(database.db, null, ids), "UNAUTHENTICATED");
  });

  it("after a demotion the next read is the read-only view; after a removal, not found", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    await database.db.update(projectMemberships).set({ role: "read_only" }).where(mine(w.project.id, w.actors.admin.id));
    const view = await readProjectPage(database.db, w.actors.admin, ids);
    expect(view.overview.projectRole).toBe("read_only");
    expect(view.invitations).toBeNull();
    expect(view.activity).toBeNull();
    await database.db.delete(projectMemberships).where(mine(w.project.id, w.actors.readWrite.id));
    await expectDomainError(readProjectPage(database.db, w.actors.readWrite, ids), "NOT_FOUND");
  });

  it("opened, the header settles once access is read, before any list; a refusal settles both and reads no list", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const seen: string[] = [];
    const view = m.openProjectPage(database.db, w.actors.admin, ids, {
      afterAccess: async () => {
        seen.push(`header ${(await view.overview).project.name}`);
      },
    });
    const lists = await view.lists;
    expect(seen).toEqual([`header ${w.project.name}`]);
    expect(lists.collaborators.items.length).toBeGreaterThan(0);

    let listsRead = false;
    const refused = m.openProjectPage(database.db, w.actors.outsider, ids, {
      afterAccess: async () => {
        listsRead = true;
      },
    });
    await expectDomainError(refused.overview, "NOT_FOUND");
    await expectDomainError(refused.lists, "NOT_FOUND");
    expect(listsRead).toBe(false);
  });

  it("says whether the reader is the project's last Project Admin", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    expect((await readProjectPage(database.db, w.actors.admin, ids)).overview.isLastAdmin).toBe(false);
    await database.db
      .update(projectMemberships)
      .set({ role: "read_only" })
      .where(
        and(
          eq(projectMemberships.projectId, w.project.id),
          eq(projectMemberships.role, "admin"),
          ne(projectMemberships.userId, w.actors.admin.id),
        ),
      );
    expect((await readProjectPage(database.db, w.actors.admin, ids)).overview.isLastAdmin).toBe(true);
    expect((await readProjectPage(database.db, w.actors.owner, ids)).overview.isLastAdmin).toBe(false);
    expect((await readProjectPage(database.db, w.actors.readOnly, ids)).overview.isLastAdmin).toBe(false);
  });

  it("reads the access in one statement and every list with its total in one more", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const statements: string[] = [];
    const logger = { logQuery: (query: string) => void statements.push(query) };
    const client = (database.db as unknown as { $client: never }).$client;
    const counted = (kind === "postgres"
      ? drizzlePg(client, { schema, logger })
      : drizzlePglite(client, { schema, logger })) as unknown as Db;
    const reads = () => statements.filter((q) => !/^(begin|commit|rollback|set transaction)\b/i.test(q));

    const admin = await readProjectPage(counted, w.actors.admin, ids);
    expect(reads()).toHaveLength(2);
    expect(admin.collaborators.total).toBe(admin.collaborators.items.length);
    expect(admin.invitations?.total).toBe(admin.invitations?.items.length);
    expect(admin.activity?.total).toBe(admin.activity?.items.length);
    statements.length = 0;
    await readProjectPage(counted, w.actors.readOnly, ids);
    expect(reads()).toHaveLength(2);
  });
});

describe.each(testTargets())("list totals read with the rows on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("a first page without rows totals 0; a later page left empty counts on its own", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    await database.db.delete(activity).where(eq(activity.projectId, w.project.id));
    const none = await m.listActivity(database.db, w.actors.admin, ids);
    expect(none).toMatchObject({ items: [], total: 0 });
    const rows = Array.from({ length: 52 }, (_, n) => ({
      orgId: w.org.id,
      projectId: w.project.id,
      action: "member.added",
      actorEmail: w.actors.admin.email,
      targetEmail: `p${n}@example.com`,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    }));
    await database.db.insert(activity).values(rows);
    const first = await m.listActivity(database.db, w.actors.admin, ids);
    expect(first.total).toBe(52);
    expect(first.next).not.toBeNull();
    const second = await m.listActivity(database.db, w.actors.admin, { ...ids, cursor: first.next });
    expect(second).toMatchObject({ total: 52, start: 50 });
    expect(second.items).toHaveLength(2);
    // The last two go: the later page is empty, and its total still says what is left.
    await database.db.delete(activity).where(and(eq(activity.projectId, w.project.id), eq(activity.targetEmail, "p0@example.com")));
    await database.db.delete(activity).where(and(eq(activity.projectId, w.project.id), eq(activity.targetEmail, "p1@example.com")));
    const emptied = await m.listActivity(database.db, w.actors.admin, { ...ids, cursor: first.next });
    expect(emptied).toMatchObject({ items: [], total: 50 });
  });
});

// Another connection changes access while the page is being read: only a server has a second connection.
describe("the project page read while access changes on another connection (postgres)", () => {
  const database = useTestDatabase("postgres");

  it("a demotion committed between the access read and the lists is not half seen: the view is the admin's, whole", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const view = await readProjectPage(database.db, w.actors.admin, ids, {
      afterAccess: async () => {
        await database.db.update(projectMemberships).set({ role: "read_only" }).where(mine(w.project.id, w.actors.admin.id));
      },
    });
    expect(view.overview.projectRole).toBe("admin");
    expect(view.collaborators.items.find((c) => c.userId === w.actors.admin.id)?.role).toBe("admin");
    expect(view.invitations).not.toBeNull();
    const next = await readProjectPage(database.db, w.actors.admin, ids);
    expect(next.overview.projectRole).toBe("read_only");
    expect(next.invitations).toBeNull();
  });

  it("read while another connection changes the reader's role again and again, each view is one instant's: its header, its reader's own row and the lists it holds agree", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const me = w.actors.admin.id;
    const roles = ["read_only", "admin", "read_write", "admin"] as const;
    let reading = true;
    const writer = (async () => {
      for (let n = 0; reading; n++)
        await database.db
          .update(projectMemberships)
          .set({ role: roles[n % roles.length] })
          .where(mine(w.project.id, me));
    })();
    const views = await Promise.all(Array.from({ length: 40 }, () => readProjectPage(database.db, w.actors.admin, ids))).finally(() => {
      reading = false;
    });
    await writer;
    for (const view of views) {
      const role = view.overview.projectRole;
      expect(view.collaborators.items.find((c) => c.userId === me)?.role).toBe(role);
      expect(view.invitations !== null).toBe(role === "admin");
      expect(view.activity !== null).toBe(role === "admin");
    }
  });

  it("a removal committed during the read leaves that read whole; the next one is not found", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const view = await readProjectPage(database.db, w.actors.readWrite, ids, {
      afterAccess: async () => {
        await database.db.delete(projectMemberships).where(mine(w.project.id, w.actors.readWrite.id));
      },
    });
    expect(view.collaborators.items.some((c) => c.userId === w.actors.readWrite.id)).toBe(true);
    await expectDomainError(readProjectPage(database.db, w.actors.readWrite, ids), "NOT_FOUND");
  });
});
