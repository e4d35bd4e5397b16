import fc from "fast-check";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { addOrgMembers, createOrganization, createProjectRow, createUsers, expectDomainError, freshTag } from "./fixtures";

/**
 * Keyset paging: every list pages by an opaque cursor (the sort key of a row), so a page costs
 * what it shows. Walking forward and then back gives every row exactly once, in order, even with
 * rows that share a timestamp to the microsecond; a cursor cannot leave its organization or
 * project; totals come from maintained counters (exact) or a capped count ("1,000+").
 */

const rows = <T>(result: unknown) => ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];

/** Walks a list to its end by `next`, then back to its start by `prev`; returns both walks' rows (by key) and the starts seen. */
async function walk<T>(read: (cursor: string | undefined) => Promise<m.Page<T>>, keyOf: (item: T) => string) {
  const forward: string[][] = [];
  const starts: number[] = [];
  let page = await read(undefined);
  expect(page.prev).toBeNull();
  for (;;) {
    expect(page.start).toBe(forward.flat().length);
    starts.push(page.start);
    forward.push(page.items.map(keyOf));
    if (!page.next) break;
    page = await read(page.next);
    expect(page.prev).not.toBeNull();
  }
  const backward: string[][] = [forward.at(-1)!];
  while (page.prev) {
    page = await read(page.prev);
    backward.unshift(page.items.map(keyOf));
  }
  expect(page.start).toBe(0);
  return { forward, backward };
}

/** A project with these collaborators (in no particular order), all organization members. */
async function projectWith(db: Db, roles: readonly m.ProjectRole[]) {
  const org = await createOrganization(db);
  const project = await createProjectRow(db, org.id);
  const [owner] = await createUsers(db, ["owner"]);
  await addOrgMembers(db, org.id, [{ user: owner!, role: "owner" }]);
  const tag = freshTag();
  if (roles.length) {
    // Addresses of mixed shape and case-free order, so the database's own order is the truth.
    await db.execute(sql`insert into users (id, email, name)
      select ${tag} || '-' || g, 'p' || ((g * 7919) % 1000) || '.' || g || '-' || ${tag} || '@x' || (g % 3) || '.test', 'P ' || g
      from generate_series(1, ${roles.length}) g`);
    await db.execute(
      sql`insert into organization_memberships (org_id, user_id, role) select ${org.id}, ${tag} || '-' || g, 'member' from generate_series(1, ${roles.length}) g`,
    );
    await db.execute(sql`insert into project_memberships (org_id, project_id, user_id, role)
      select ${org.id}, ${project.id}, ${tag} || '-' || g, (${`{${roles.join(",")}}`}::project_role[])[g] from generate_series(1, ${roles.length}) g`);
  }
  return { org, project, owner: owner! };
}

describe.each(testTargets())("keyset paging on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("collaborators: forward then back gives every row exactly once in the database's order, for any size, roles and page size", async () => {
    const db = database.db;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<m.ProjectRole>("admin", "read_write", "read_only"), { minLength: 0, maxLength: 140 }),
        fc.integer({ min: 1, max: 50 }),
        fc.option(fc.constantFrom<m.ProjectRole>("admin", "read_write", "read_only"), { nil: undefined }),
        async (roles, pageSize, role) => {
          const { org, project, owner } = await projectWith(db, roles);
          const expected = rows<{ email: string }>(
            await db.execute(
              sql`select email from project_memberships where project_id = ${project.id} ${role ? sql`and role = ${role}` : sql``} order by role, email`,
            ),
          ).map((r) => r.email);
          const { forward, backward } = await walk(
            (cursor) => m.listCollaborators(db, owner, { orgId: org.id, projectId: project.id, cursor, pageSize, role }),
            (c) => c.email,
          );
          expect(forward.flat()).toEqual(expected);
          expect(backward).toEqual(forward);
          expect(forward.every((p, n) => p.length === pageSize || n === forward.length - 1)).toBe(true);
          const first = await m.listCollaborators(db, owner, { orgId: org.id, projectId: project.id, pageSize, role });
          expect(first.total).toBe(expected.length);
          expect(first.capped).toBeUndefined();
        },
      ),
      { numRuns: kind === "pglite" ? 12 : 20 },
    );
  });

  it("activity: rows sharing a timestamp (to the microsecond, and within one millisecond) are each shown once, newest first, forward and back", async () => {
    const db = database.db;
    const { org, project, owner } = await projectWith(db, ["admin"]);
    // 130 records over three instants one microsecond apart: a JS Date could not tell them apart.
    await db.execute(sql`insert into activity (org_id, project_id, action, target_email, created_at)
      select ${org.id}, ${project.id}, 'member.added', 't' || g || '@x.test', timestamptz '2026-11-30 10:00:00.000001+00' + make_interval(secs => (g % 3) / 1000000.0)
      from generate_series(1, 130) g`);
    const expected = rows<{ id: string }>(
      await db.execute(sql`select id from activity where project_id = ${project.id} order by created_at desc, id desc`),
    ).map((r) => r.id);
    expect(expected).toHaveLength(130);
    const { forward, backward } = await walk(
      (cursor) => m.listActivity(db, owner, { orgId: org.id, projectId: project.id, cursor }),
      (a) => a.id,
    );
    expect(forward.map((p) => p.length)).toEqual([50, 50, 30]);
    expect(forward.flat()).toEqual(expected);
    expect(backward).toEqual(forward);
    const whole = await walk(
      (cursor) => m.listOrganizationActivity(db, owner, { orgId: org.id, cursor }),
      (a) => a.id,
    );
    expect(whole.forward.flat()).toEqual(expected);
  });

  it("pending invitations: ties in created_at are each shown once, newest first, forward and back; the count is capped", async () => {
    const db = database.db;
    const { org, project, owner } = await projectWith(db, ["admin"]);
    const tag = freshTag();
    await db.execute(sql`insert into invitations (org_id, email, org_role, token_hash, status, expires_at, last_sent_at, created_at)
      select ${org.id}, 'inv' || g || '-' || ${tag} || '@x.test', 'member', ${tag} || g, 'pending', now() + interval '2 days', now(), timestamptz '2026-11-30 09:00:00.123456+00' + make_interval(secs => (g % 2) / 1000000.0)
      from generate_series(1, 75) g`);
    await db.execute(
      sql`insert into invitation_project_grants (invitation_id, org_id, project_id, role) select id, org_id, ${project.id}, 'read_only' from invitations where org_id = ${org.id}`,
    );
    const expected = rows<{ id: string }>(
      await db.execute(sql`select id from invitations where org_id = ${org.id} order by created_at desc, id desc`),
    ).map((r) => r.id);
    const projectWalk = await walk(
      (cursor) => m.listPendingInvitations(db, owner, { orgId: org.id, projectId: project.id, cursor }),
      (i) => i.id,
    );
    expect(projectWalk.forward.flat()).toEqual(expected);
    expect(projectWalk.backward).toEqual(projectWalk.forward);
    const orgWalk = await walk(
      (cursor) => m.listOrganizationInvitations(db, owner, { orgId: org.id, cursor }),
      (i) => i.id,
    );
    expect(orgWalk.forward.flat()).toEqual(expected);
    expect((await m.listOrganizationInvitations(db, owner, { orgId: org.id })).total).toBe(75);
  });

  it("organization members: forward then back in (role, email) order; the total is the maintained count", async () => {
    const db = database.db;
    const { org, owner } = await projectWith(
      db,
      Array.from({ length: 120 }, () => "read_only" as const),
    );
    const expected = rows<{ email: string }>(
      await db.execute(
        sql`select u.email from organization_memberships om join users u on u.id = om.user_id where om.org_id = ${org.id} order by om.role, om.email`,
      ),
    ).map((r) => r.email);
    const { forward, backward } = await walk(
      (cursor) => m.listOrganizationMembers(db, owner, { orgId: org.id, cursor }),
      (x) => x.email,
    );
    expect(forward.flat()).toEqual(expected);
    expect(backward).toEqual(forward);
    expect((await m.listOrganizationMembers(db, owner, { orgId: org.id })).total).toBe(121);
  });

  it("a cursor never widens what is seen: another project's or organization's cursor positions only the actor's own list", async () => {
    const db = database.db;
    const a = await projectWith(
      db,
      Array.from({ length: 60 }, () => "read_only" as const),
    );
    const b = await projectWith(
      db,
      Array.from({ length: 60 }, () => "read_only" as const),
    );
    const aNext = (await m.listCollaborators(db, a.owner, { orgId: a.org.id, projectId: a.project.id })).next!;
    const bAll = rows<{ user_id: string }>(
      await db.execute(sql`select user_id from project_memberships where project_id = ${b.project.id}`),
    ).map((r) => r.user_id);
    const crossed = await m.listCollaborators(db, b.owner, { orgId: b.org.id, projectId: b.project.id, cursor: aNext });
    expect(crossed.items.every((c) => bAll.includes(c.userId))).toBe(true);
    // …and the cursor does not let b's owner into a's project.
    await expectDomainError(m.listCollaborators(db, b.owner, { orgId: a.org.id, projectId: a.project.id, cursor: aNext }), "NOT_FOUND");
    const aMembersNext = (await m.listOrganizationMembers(db, a.owner, { orgId: a.org.id })).next!;
    const crossedMembers = await m.listOrganizationMembers(db, b.owner, { orgId: b.org.id, cursor: aMembersNext });
    const bMembers = rows<{ user_id: string }>(
      await db.execute(sql`select user_id from organization_memberships where org_id = ${b.org.id}`),
    ).map((r) => r.user_id);
    expect(crossedMembers.items.every((x) => bMembers.includes(x.userId))).toBe(true);
  });

  it("a malformed, damaged, forged or other list's cursor is refused with INVALID_CURSOR", async () => {
    const db = database.db;
    const { org, project, owner } = await projectWith(
      db,
      Array.from({ length: 60 }, () => "read_only" as const),
    );
    const ids = { orgId: org.id, projectId: project.id };
    const good = (await m.listCollaborators(db, owner, ids)).next!;
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const bad = [
      "not a cursor",
      good.slice(0, 10),
      forge({ l: "collaborators", d: "a", k: ["king", "x"], i: 0 }),
      forge({ l: "collaborators", d: "a", k: ["admin"], i: 0 }),
      forge({ l: "activity", d: "a", k: ["admin", "x"], i: 0 }),
      forge({ l: "collaborators", d: "a", k: ["admin", "x"], i: -3 }),
    ];
    for (const cursor of bad) await expectDomainError(m.listCollaborators(db, owner, { ...ids, cursor }), "INVALID_CURSOR");
    await expectDomainError(m.listActivity(db, owner, { ...ids, cursor: good }), "INVALID_CURSOR");
    await expectDomainError(
      m.listActivity(db, owner, {
        ...ids,
        cursor: forge({ l: "activity", d: "a", k: ["2026-02-30 10:00:00+00", "00000000-0000-4000-8000-000000000000"], i: 0 }),
      }),
      "INVALID_CURSOR",
    );
    await expectDomainError(
      m.listPendingInvitations(db, owner, {
        ...ids,
        cursor: forge({ l: "invitations", d: "b", k: ["2026-11-30 10:00:00+00", "nope"], i: 0 }),
      }),
      "INVALID_CURSOR",
    );
    await expectDomainError(m.listOrganizationMembers(db, owner, { orgId: org.id, cursor: good }), "INVALID_CURSOR");
  });

  it("the documented cursor format, built from raw SQL as bench/scale.ts builds it, starts right after that row", async () => {
    const db = database.db;
    const { org, project, owner } = await projectWith(
      db,
      Array.from({ length: 120 }, (_, n) => (["admin", "read_write", "read_only"] as const)[n % 3]!),
    );
    const [row] = rows<{ role_text: string; email: string }>(
      await db.execute(
        sql`select role::text as role_text, email from project_memberships where project_id = ${project.id} order by role, email offset 99 limit 1`,
      ),
    );
    const cursor = Buffer.from(JSON.stringify({ l: "collaborators", d: "a", k: [row!.role_text, row!.email], i: 100 })).toString(
      "base64url",
    );
    const page = await m.listCollaborators(db, owner, { orgId: org.id, projectId: project.id, cursor });
    const expected = rows<{ email: string }>(
      await db.execute(sql`select email from project_memberships where project_id = ${project.id} order by role, email offset 100`),
    ).map((r) => r.email);
    expect(page.items.map((c) => c.email)).toEqual(expected);
    expect(page).toMatchObject({ start: 100, next: null, total: 120 });
  });

  it("a search is counted up to 1,000 and says there are more; without one the maintained count is exact", async () => {
    const db = database.db;
    const { org, project, owner } = await projectWith(
      db,
      Array.from({ length: m.LIST_COUNT_CAP + 5 }, (_, n) => (n < 3 ? "admin" : "read_only")),
    );
    const ids = { orgId: org.id, projectId: project.id };
    expect(await m.listCollaborators(db, owner, ids)).toMatchObject({ total: m.LIST_COUNT_CAP + 5 });
    expect((await m.listCollaborators(db, owner, ids)).capped).toBeUndefined();
    expect(await m.listCollaborators(db, owner, { ...ids, role: "admin" })).toMatchObject({ total: 3 });
    expect(await m.listCollaborators(db, owner, { ...ids, q: "p" })).toMatchObject({ total: m.LIST_COUNT_CAP, capped: true });
    expect(await m.listOrganizationMembers(db, owner, { orgId: org.id, q: "x" })).toMatchObject({ total: m.LIST_COUNT_CAP, capped: true });
    expect(await m.listOrganizationMembers(db, owner, { orgId: org.id })).toMatchObject({ total: m.LIST_COUNT_CAP + 6 });
  });
});

// The counters are only worth their name if they stay exact under concurrent changes: that needs
// several connections, so a Postgres server.
describe("maintained counts under concurrent membership changes (postgres)", () => {
  const database = useTestDatabase("postgres");

  it("project_role_counts and org_role_counts equal count(*) after parallel adds, removals, role changes and organization removals", async () => {
    const db = database.db;
    const org = await createOrganization(db);
    const projects = [await createProjectRow(db, org.id), await createProjectRow(db, org.id), await createProjectRow(db, org.id)];
    const people = await createUsers(
      db,
      Array.from({ length: 80 }, (_, n) => `c${n}`),
    );
    await addOrgMembers(
      db,
      org.id,
      people.map((user, n) => ({ user, role: n < 2 ? ("owner" as const) : ("member" as const) })),
    );
    const workers = Array.from({ length: 6 }, () => database.connectAgain(2));
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const roles = ["admin", "read_write", "read_only"] as const;
    let done = 0;
    let retried = 0;
    // Each change locks as the app does (the project row, or the organization row then its
    // projects), so only the counters' own row locks are left to keep the counts exact.
    const change = async (worker: (typeof workers)[number], op: number) => {
      const project = projects[random(projects.length)]!;
      const person = people[random(people.length)]!;
      const role = roles[random(3)]!;
      const kind = op % 10;
      for (let attempt = 0; ; attempt++) {
        try {
          await worker.db.transaction(async (tx) => {
            if (kind === 9) {
              await tx.execute(sql`select 1 from organizations where id = ${org.id} for no key update`);
              await tx.execute(sql`select 1 from projects where org_id = ${org.id} order by id for no key update`);
              // Remove from the organization (cascading to its projects) or put back, or change the organization role.
              const removed = await tx.execute(
                sql`delete from organization_memberships where org_id = ${org.id} and user_id = ${person.id} and role = 'member' returning 1`,
              );
              if (rows(removed).length === 0) {
                await tx.execute(
                  sql`insert into organization_memberships (org_id, user_id, role) values (${org.id}, ${person.id}, 'member') on conflict do nothing`,
                );
              }
              return;
            }
            await tx.execute(sql`select 1 from projects where id = ${project.id} for no key update`);
            if (kind < 4) {
              await tx.execute(sql`insert into project_memberships (org_id, project_id, user_id, role)
                select ${org.id}, ${project.id}, ${person.id}, ${role}::project_role
                where exists (select 1 from organization_memberships where org_id = ${org.id} and user_id = ${person.id})
                on conflict do nothing`);
            } else if (kind < 7) {
              await tx.execute(
                sql`update project_memberships set role = ${role}::project_role where project_id = ${project.id} and user_id = ${person.id}`,
              );
            } else {
              await tx.execute(sql`delete from project_memberships where project_id = ${project.id} and user_id = ${person.id}`);
            }
          });
          done++;
          return;
        } catch (err) {
          const code = (err as { code?: string; cause?: { code?: string } }).code ?? (err as { cause?: { code?: string } }).cause?.code;
          if ((code === "40P01" || code === "40001") && attempt < 5) {
            retried++;
            continue;
          }
          throw err;
        }
      }
    };
    await Promise.all(
      workers.map(async (worker, w) => {
        for (let op = 0; op < 60; op++) await change(worker, op + w);
      }),
    );
    expect(done).toBe(360);

    const projectCounts = rows<{ project_id: string; role: string; counted: number; kept: number }>(
      await db.execute(sql`select p.id as project_id, r.role, (select count(*)::int from project_memberships pm where pm.project_id = p.id and pm.role = r.role) as counted,
          coalesce((select n from project_role_counts c where c.project_id = p.id and c.role = r.role), 0) as kept
        from projects p cross join unnest(enum_range(null::project_role)) as r(role) where p.org_id = ${org.id}`),
    );
    expect(projectCounts).toHaveLength(9);
    for (const c of projectCounts) expect({ ...c, kept: Number(c.kept) }).toEqual({ ...c, kept: Number(c.counted) });
    expect(projectCounts.some((c) => c.counted > 0)).toBe(true);
    const orgCounts = rows<{ role: string; counted: number; kept: number }>(
      await db.execute(sql`select r.role, (select count(*)::int from organization_memberships om where om.org_id = ${org.id} and om.role = r.role) as counted,
          coalesce((select n from org_role_counts c where c.org_id = ${org.id} and c.role = r.role), 0) as kept
        from unnest(enum_range(null::org_role)) as r(role)`),
    );
    for (const c of orgCounts) expect(Number(c.kept)).toBe(Number(c.counted));
    // What the lists say is what is there.
    for (const p of projects) {
      const [{ n }] = rows<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from project_memberships where project_id = ${p.id}`),
      ) as [{ n: number }];
      expect((await m.listCollaborators(db, people[0]!, { orgId: org.id, projectId: p.id })).total).toBe(n);
    }
    expect(retried).toBeLessThan(360);
    // Deleting a project drops its counters with it.
    await db.execute(sql`delete from projects where id = ${projects[1]!.id}`);
    expect(rows(await db.execute(sql`select 1 from project_role_counts where project_id = ${projects[1]!.id}`))).toHaveLength(0);
  });

  it("accepting into the organization while another member is removed does not deadlock on the counters", async () => {
    const db = database.db;
    const org = await createOrganization(db);
    const project = await createProjectRow(db, org.id);
    const [joiner, leaver] = await createUsers(db, ["joiner", "leaver"]);
    await addOrgMembers(db, org.id, [{ user: leaver!, role: "member" }]);
    await db.execute(
      sql`insert into project_memberships (org_id, project_id, user_id, role) values (${org.id}, ${project.id}, ${leaver!.id}, 'read_only')`,
    );
    const [a, b] = [database.connectAgain(1), database.connectAgain(1)];
    const codeOf = (err: { code?: string; cause?: { code?: string } }) => err.cause?.code ?? err.code ?? "error";
    let joinedOrg!: () => void;
    const orgJoined = new Promise<void>((resolve) => (joinedOrg = resolve));
    let goOn!: () => void;
    const go = new Promise<void>((resolve) => (goOn = resolve));
    // As acceptInvitation does: join the organization (its counter), then the project (its counter).
    const accepting = a.db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into organization_memberships (org_id, user_id, role) values (${org.id}, ${joiner!.id}, 'member')`);
        joinedOrg();
        await go;
        await tx.execute(
          sql`insert into project_memberships (org_id, project_id, user_id, role) values (${org.id}, ${project.id}, ${joiner!.id}, 'read_only')`,
        );
      })
      .then(() => "ok", codeOf);
    await orgJoined;
    // Removing another member waits for the organization's counter before its cascade takes the
    // project's: Postgres fires the cascade's AFTER triggers after the deleting statement's own. A
    // removal that deleted the project memberships first would deadlock here (40P01).
    const removing = b.db
      .transaction(
        async (tx) =>
          void (await tx.execute(sql`delete from organization_memberships where org_id = ${org.id} and user_id = ${leaver!.id}`)),
      )
      .then(() => "ok", codeOf);
    const blocked = async () =>
      rows<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
        ),
      )[0]!.n;
    for (let i = 0; i < 400 && (await blocked()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await blocked()).toBe(1);
    goOn();
    expect(await accepting).toBe("ok");
    expect(await removing).toBe("ok");
    const kept = rows<{ role: string; n: number }>(
      await db.execute(sql`select role::text as role, n from project_role_counts where project_id = ${project.id}`),
    );
    expect(kept).toEqual([{ role: "read_only", n: 1 }]);
  });
});
