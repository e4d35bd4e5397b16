/**
 * The project page's reads alone, in this process, without Next: the header and the three lists
 * of a 10-person project (200 pending invitations, 20 activity rows), read as the page reads them
 * (`openProjectPage`: the access, then every list's first page in one statement, in one
 * REPEATABLE READ transaction), the same with every statement unnamed (as node-postgres sends
 * them without `db/named-statements.ts`), and with each list in its own statement (as the page
 * read them before `readFirstPages`). The ways alternate in rounds, so the load of other work
 * falls on all alike.
 *
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx --conditions=react-server bench/page-reads.ts
 *       [--size 10] [--runs 500] [--rounds 6]
 *
 * Per way it prints: wall ms per read (p50, p95), this process's CPU ms per read
 * (process.cpuUsage), the Postgres backend's CPU ms per read (/proc/<pid>/stat of the pool's one
 * connection, 10 ms ticks, so read over hundreds of reads), and SQL statements per read. Then
 * each of the page's statements alone (the access and each list as read alone), run `runs` times
 * as sent, named and unnamed: the Postgres CPU ms of one, to see where the page's Postgres time goes.
 * Last, the memory the named statements keep on the named pool's connection (pg_backend_memory_contexts).
 * `--analyze` runs ANALYZE after seeding (else the planner knows only the tables' sizes).
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import type pg from "pg";
import * as schema from "@/db/schema";
import { openDatabase, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { projectActivityList } from "@/lib/membership/activity/list-activity";
import { collaboratorList } from "@/lib/membership/collaborators/list-collaborators";
import { pendingInvitationList } from "@/lib/membership/invitations/list-pending-invitations";
import { getProjectOverview } from "@/lib/membership/projects/get-project-overview";
import { openProjectPage } from "@/lib/membership/projects/open-project-page";
import { cpuMs, quantile, seedTenant } from "./app-harness";
import { createScratchDatabase, option, serverUrl } from "./scratch-database";

const size = Number(option("size", "10"));
const runs = Number(option("runs", "500"));
const rounds = Number(option("rounds", "6"));

const scratch = await createScratchDatabase(serverUrl(), "mc_page_reads");
let statements = 0;
const database = openDatabase({ url: scratch.url, max: 1 });
const unnamedDatabase = openDatabase({ url: scratch.url, max: 1, nameStatements: false });
try {
  await migrateDatabase(database);
  const tenant = await seedTenant(scratch.url, "reads", size);
  // Each pool (one connection each) through a drizzle that counts what it sends (BEGIN and COMMIT included).
  const counted = (d: typeof database) => {
    const pool = (d.db as unknown as { $client: pg.Pool }).$client;
    return { pool, db: drizzle(pool, { schema, logger: { logQuery: () => void statements++ } }) as unknown as Db };
  };
  const { pool: client, db } = counted(database);
  const unnamed = counted(unnamedDatabase);
  if (process.argv.includes("--analyze")) await client.query("analyze");
  const owner = (await db.execute(sql`select id, email from users where email = 'owner-reads@scale.test'`)) as unknown as {
    rows: { id: string; email: string }[];
  };
  const actor = owner.rows[0]!;
  const ids = { orgId: tenant.orgId, projectId: tenant.projectId };
  const backendOf = async (d: Db) =>
    ((await d.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] }).rows[0]!.pid;

  // The page's reads as the page makes them: access, then the lists from the same snapshot.
  const readProjectPage = async (d: Db, who: typeof actor, input: typeof ids) => {
    const view = openProjectPage(d, who, input);
    return { overview: await view.overview, ...(await view.lists) };
  };
  const ways: Record<string, { db: Db; read: () => Promise<unknown> }> = {
    "lists in one statement (the page)": { db, read: () => readProjectPage(db, actor, ids) },
    "the page, every statement unnamed": { db: unnamed.db, read: () => readProjectPage(unnamed.db, actor, ids) },
    "each list in its own statement": {
      db,
      read: () =>
        db.transaction(
          async (tx: Db) => {
            const access = await getProjectOverview(tx, actor, ids);
            const collaborators = await collaboratorList(tx, ids).read();
            const invitations = access.can["invitations.view"] ? await pendingInvitationList(tx, ids).read() : null;
            const activity = access.can["activity.view"] ? await projectActivityList(tx, ids).read() : null;
            return { collaborators, invitations, activity };
          },
          { isolationLevel: "repeatable read", accessMode: "read only" },
        ),
    },
  };
  const totals = new Map<string, { wall: number[]; cpu: number; pg: number; statements: number; reads: number }>();
  for (const name of Object.keys(ways)) {
    for (let i = 0; i < 20; i++) await ways[name]!.read();
    totals.set(name, { wall: [], cpu: 0, pg: 0, statements: 0, reads: 0 });
  }
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? Object.keys(ways) : Object.keys(ways).reverse();
    for (const name of order) {
      const t = totals.get(name)!;
      const { db: wayDb, read } = ways[name]!;
      // Read each time: a pool left idle may have opened a new connection since.
      const backend = await backendOf(wayDb);
      const cpu0 = process.cpuUsage();
      const pg0 = cpuMs(backend);
      const s0 = statements;
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await read();
        t.wall.push(performance.now() - started);
      }
      const cpu = process.cpuUsage(cpu0);
      t.cpu += (cpu.user + cpu.system) / 1000;
      t.pg += cpuMs(backend) - pg0;
      t.statements += statements - s0;
      t.reads += runs;
    }
  }
  console.table(
    [...totals].map(([way, t]) => {
      const wall = t.wall.sort((a, b) => a - b);
      return {
        way,
        "wall p50 ms": quantile(wall, 0.5).toFixed(2),
        "wall p95 ms": quantile(wall, 0.95).toFixed(2),
        "node CPU ms": (t.cpu / t.reads).toFixed(2),
        "PG CPU ms": (t.pg / t.reads).toFixed(2),
        "SQL / read": (t.statements / t.reads).toFixed(1),
      };
    }),
  );
  console.log(`[page-reads] ${size} people, ${rounds} rounds of ${runs} reads per way`);

  const parts: Record<string, (d: Db) => Promise<unknown>> = {
    access: (d) => getProjectOverview(d, actor, ids),
    collaborators: (d) => collaboratorList(d, ids).read(),
    "pending invitations": (d) => pendingInvitationList(d, ids).read(),
    activity: (d) => projectActivityList(d, ids).read(),
    "select 1": (d) => d.execute(sql`select 1`),
  };
  const costs: Record<string, string>[] = [];
  for (const [part, read] of Object.entries(parts)) {
    let sent: { text: string; values: unknown[] } | undefined;
    await read(drizzle(client, { schema, logger: { logQuery: (text, values) => void (sent ??= { text, values }) } }) as unknown as Db);
    const { text, values } = sent!;
    const cost = async (pool: pg.Pool, backend: number) => {
      for (let i = 0; i < 20; i++) await pool.query(text, values);
      const pg0 = cpuMs(backend);
      for (let i = 0; i < runs; i++) await pool.query(text, values);
      return ((cpuMs(backend) - pg0) / runs).toFixed(2);
    };
    costs.push({
      statement: part,
      "PG CPU ms, named": await cost(client, await backendOf(db)),
      "PG CPU ms, unnamed": await cost(unnamed.pool, await backendOf(unnamed.db)),
    });
  }
  console.table(costs);
  // What the named statements keep on their connection: their parse trees and plans.
  const kept = (await db.execute(
    sql`select count(*) filter (where name = 'CachedPlanSource')::int as statements, coalesce(sum(total_bytes), 0)::int as bytes
        from pg_backend_memory_contexts where name in ('CachedPlanSource', 'CachedPlanQuery', 'CachedPlan')`,
  )) as unknown as { rows: { statements: number; bytes: number }[] };
  const { statements: named, bytes } = kept.rows[0]!;
  console.log(
    `[page-reads] the named pool's connection keeps ${named} statements in ${(bytes / 1024).toFixed(0)} KB ` +
      `(${(bytes / 1024 / Math.max(named, 1)).toFixed(1)} KB each)`,
  );
} finally {
  await database.close();
  await unnamedDatabase.close();
  await scratch.drop();
}
