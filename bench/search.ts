/**
 * Searching a big project's lists: seeds one project with 1,000 and then 100,000 collaborators
 * (plus 20,000 people elsewhere and 500 pending invitations) in a fresh database on a real
 * Postgres server, then prints p50 / p95 of listCollaborators and listPendingInvitations with a
 * search and a role filter (the whole read: access check, page and count).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx --conditions=react-server bench/search.ts [sizes…]
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { createScratchDatabase, sampleMs } from "./scratch-database";
import { listCollaborators, listPendingInvitations, type ListFilter } from "@/lib/membership";

const server = process.env.DATABASE_URL;
if (!server) {
  console.error("bench/search.ts measures Postgres: set DATABASE_URL to a server (a fresh database is made and dropped there).");
  process.exit(1);
}
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const RUNS = 60;

const FIRST = [
  "olivia",
  "adam",
  "wendy",
  "reed",
  "mia",
  "noah",
  "emma",
  "liam",
  "ava",
  "lucas",
  "sofia",
  "mateo",
  "zoe",
  "ivan",
  "chen",
  "priya",
  "omar",
  "lena",
  "yuki",
  "ana",
];
const LAST = ["smith", "garcia", "kim", "nguyen", "müller", "rossi", "silva", "khan", "ito", "novak"];

async function withDatabase(fn: (database: Database) => Promise<void>) {
  const scratch = await createScratchDatabase(server!, "mc_bench_search");
  const database = openDatabase({ url: scratch.url });
  try {
    await migrateDatabase(database);
    await fn(database);
  } finally {
    await database.close();
    await scratch.drop();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function measure(n: number) {
  await withDatabase(async (database) => {
    const db = database.db;
    const orgId = randomUUID();
    const projectId = randomUUID();
    const otherProjectId = randomUUID();
    const seedStart = performance.now();
    await db.execute(sql`insert into organizations (id, name) values (${orgId}, 'Bench Org')`);
    await db.execute(
      sql`insert into projects (id, org_id, name) values (${projectId}, ${orgId}, 'Big Project'), (${otherProjectId}, ${orgId}, 'Other Project')`,
    );
    // People: "<first>.<last><i>@<domain>" named "<First> <Last>"; n in the project, 20,000 elsewhere.
    const first = `(array[${FIRST.map((f) => `'${f}'`).join(",")}])[1 + i % ${FIRST.length}]`;
    const last = `(array[${LAST.map((l) => `'${l}'`).join(",")}])[1 + (i / ${FIRST.length}) % ${LAST.length}]`;
    const people = (from: number, to: number) =>
      sql.raw(`
      insert into users (id, email, name)
      select 'u' || i, ${first} || '.' || ${last} || i || '@' || (array['acme.test','example.com','vector.io','mail.org'])[1 + i % 4],
             initcap(${first}) || ' ' || initcap(${last})
      from generate_series(${from}, ${to}) i`);
    await db.execute(people(1, n + 20_000));
    await db.execute(
      sql.raw(
        `insert into organization_memberships (org_id, user_id, role) select '${orgId}', 'u' || i, case when i = 1 then 'owner' else 'member' end::org_role ` +
          `from generate_series(1, ${n + 20_000}) i`,
      ),
    );
    await db.execute(
      sql.raw(`insert into project_memberships (org_id, project_id, user_id, role)
        select '${orgId}', '${projectId}', 'u' || i, (case when i <= 5 then 'admin' when i % 10 = 0 then 'read_write' else 'read_only' end)::project_role
        from generate_series(1, ${n}) i`),
    );
    await db.execute(
      sql.raw(
        `insert into project_memberships (org_id, project_id, user_id, role) select '${orgId}', '${otherProjectId}', 'u' || i, 'read_only' ` +
          `from generate_series(${n + 1}, ${n + 20_000}) i`,
      ),
    );
    await db.execute(
      sql.raw(`with i as (
          insert into invitations (org_id, email, token_hash, expires_at, last_sent_at)
          select '${orgId}', 'invitee' || g || '@' || (array['acme.test','example.com'])[1 + g % 2],
          md5(g::text || random()::text), now() + interval '40 hours', now()
          from generate_series(1, 500) g returning id, email)
        insert into invitation_project_grants (invitation_id, org_id, project_id, role)
        select id, '${orgId}', '${projectId}', (case when email like '%acme.test' then 'admin' else 'read_only' end)::project_role from i`),
    );
    await db.execute(sql`analyze`);
    const seedMs = performance.now() - seedStart;

    const actor = { id: "u1", email: "", name: null };
    const ids = { orgId, projectId };
    console.log(
      `\n${n.toLocaleString("en")} collaborators in the project (${(n + 20_000).toLocaleString("en")} people in the organization, 500 pending invitations); ` +
        `seeded in ${(seedMs / 1000).toFixed(1)} s; ${RUNS} runs each`,
    );
    const cases: [string, "collaborators" | "invitations", ListFilter][] = [
      [`collaborators q="${FIRST[7]}.${LAST[3]}67" (an address start, few hits)`, "collaborators", { q: `${FIRST[7]}.${LAST[3]}67` }],
      [`collaborators q="Emma Ro" (a name start)`, "collaborators", { q: "Emma Ro" }],
      [`collaborators q="zoe" (about 1 in 20)`, "collaborators", { q: "zoe" }],
      [`collaborators q="o" (a single letter, about 1 in 7)`, "collaborators", { q: "o" }],
      [`collaborators q="nobody" (no hit)`, "collaborators", { q: "nobody" }],
      [`collaborators role=read_write`, "collaborators", { role: "read_write" }],
      [`collaborators q="sofia" role=read_write`, "collaborators", { q: "sofia", role: "read_write" }],
      [`invitations q="invitee42"`, "invitations", { q: "invitee42" }],
      [`invitations role=admin`, "invitations", { role: "admin" }],
    ];
    for (const [label, list, filter] of cases) {
      const read = () =>
        list === "collaborators"
          ? listCollaborators(db, actor, { ...ids, ...filter })
          : listPendingInvitations(db, actor, { ...ids, ...filter });
      const first = await read();
      const samples = await sampleMs(RUNS, read);
      console.log(
        `  ${label.padEnd(62)} ${String(first.total).padStart(6)} hits   p50 ${percentile(samples, 50).toFixed(1).padStart(6)} ms   ` +
          `p95 ${percentile(samples, 95).toFixed(1).padStart(6)} ms`,
      );
    }
  });
}

for (const n of sizes.length ? sizes : [1_000, 100_000]) await measure(n);
