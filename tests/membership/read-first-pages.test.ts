import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { users } from "@/db/schema";
import { projectActivityList } from "@/lib/membership/activity/list-activity";
import { collaboratorList } from "@/lib/membership/collaborators/list-collaborators";
import { pendingInvitationList } from "@/lib/membership/invitations/list-pending-invitations";
import { readFirstPages } from "@/lib/membership/read-first-pages";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld } from "./fixtures";

describe.each(testTargets())("first pages read in one statement on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("are the pages each list gives when read alone: rows, dates, totals and the cursor to the next page", async () => {
    const w = await buildWorld(database.db);
    const db = database.db;
    const ids = { orgId: w.org.id, projectId: w.project.id };
    // More than a page of activity, microseconds apart (a JS Date keeps milliseconds only), and
    // names JSON has to escape, or none at all.
    await db.execute(sql`
      insert into activity (org_id, project_id, action, actor_email, target_email, detail, created_at)
      select ${w.org.id}, ${w.project.id}, 'member.added', ${w.actors.admin.email}, 'p' || n || '@example.com',
             case when n % 2 = 0 then 'a "quoted" \\ back\slash ✓' end,
             timestamptz '2026-01-01 00:00:00+00' + n * interval '1 microsecond'
      from generate_series(1, 55) n`);
    await db.update(users).set({ name: 'Zoë "Z" \\ O’Neil 🚀' }).where(eq(users.id, w.actors.readWrite.id));
    await db.update(users).set({ name: null }).where(eq(users.id, w.target.id));
    const now = new Date();
    const lists = () => [collaboratorList(db, ids), pendingInvitationList(db, ids, { now }), projectActivityList(db, ids)] as const;

    const together = await readFirstPages(db, lists());
    const alone = await Promise.all(lists().map((list) => list.read()));
    expect(together).toEqual(alone);
    const [collaborators, invitations, activity] = together;
    expect(collaborators.items.map((c) => c.name)).toContain('Zoë "Z" \\ O’Neil 🚀');
    expect(collaborators.items.some((c) => c.name === null)).toBe(true);
    expect(collaborators.items[0]?.joinedAt).toBeInstanceOf(Date);
    expect(invitations.items).toHaveLength(2);
    expect(invitations.items[0]?.expiresAt).toBeInstanceOf(Date);
    expect(activity).toMatchObject({ total: 56, start: 0 });
    expect(activity.items).toHaveLength(50);
    // The cursor names a row by its microseconds: the next page starts right after it.
    const next = await projectActivityList(db, { ...ids, cursor: activity.next }).read();
    expect(next).toMatchObject({ start: 50, next: null });
    expect(next.items.map((a) => a.targetEmail)).toEqual([6, 5, 4, 3, 2, 1].map((n) => `p${n}@example.com`));
  });

  it("keep each list's filters, answer null for a list not shown, and read no list twice", async () => {
    const w = await buildWorld(database.db);
    const db = database.db;
    const ids = { orgId: w.org.id, projectId: w.project.id };
    const [admins, none, activity] = await readFirstPages(db, [
      collaboratorList(db, { ...ids, role: "admin" }),
      null,
      projectActivityList(db, ids),
    ]);
    expect(admins.items.map((c) => c.role)).toEqual(["admin", "admin"]);
    expect(admins.total).toBe(2);
    expect(none).toBeNull();
    expect(activity.items).toHaveLength(1);
    const [searched] = await readFirstPages(db, [collaboratorList(db, { ...ids, q: w.actors.readOnly.email })]);
    expect(searched.items.map((c) => c.userId)).toEqual([w.actors.readOnly.id]);
    expect(await readFirstPages(db, [null, null])).toEqual([null, null]);
  });

  it("refuses a list that asks for a later page", async () => {
    const w = await buildWorld(database.db);
    const ids = { orgId: w.org.id, projectId: w.project.id };
    await expect(readFirstPages(database.db, [projectActivityList(database.db, { ...ids, cursor: "a-later-page" })])).rejects.toThrow(
      "first pages only",
    );
  });
});
