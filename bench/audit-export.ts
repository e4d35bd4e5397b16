/**
 * The audit export of a large organization against the production build on a Postgres server:
 * seeds N activity records for one organization (one INSERT … SELECT generate_series), starts the
 * server, downloads the export as CSV and as NDJSON through the console route (an Owner's session
 * cookie), and prints rows, bytes, seconds, rows/s, and the server's resident memory before, its
 * peak while each download ran (VmRSS sampled every 20 ms) and its high-water mark (VmHWM).
 *
 *     npm run build
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/audit-export.ts [--rows 1000000] [--port 3221]
 *
 * A fresh database is made on the server and dropped after. Raw SQL and the shared bench harness (app-harness.ts) only.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { sessionCookie, sql, startApp, waitForApp } from "./app-harness";
import { option, scratchName, serverUrl } from "./scratch-database";

const ROWS = Number(option("rows", "1000000"));
const port = Number(option("port", "3221"));
const server = serverUrl();
const { name: dbName, url: dbUrl } = scratchName(server, "mc_export");

const kb = (pid: number, field: "VmRSS" | "VmHWM") =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
const mb = (k: number) => (k / 1024).toFixed(1);

await sql(server, `create database ${dbName}`);
const app = startApp(process.cwd(), port, dbUrl.toString());
const base = `http://127.0.0.1:${port}`;
try {
  await waitForApp(app, base);
  const orgId = randomUUID();
  const ownerId = randomUUID();
  await sql(dbUrl.toString(), "insert into users (id, email, name) values ($1, 'owner@export.test', 'Owner')", [ownerId]);
  await sql(dbUrl.toString(), "insert into organizations (id, name) values ($1, 'Export Bench')", [orgId]);
  await sql(dbUrl.toString(), "insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'owner')", [orgId, ownerId]);
  let started = performance.now();
  // One record a second for ROWS seconds before 2026-01-01: under a year for a million.
  await sql(
    dbUrl.toString(),
    `insert into activity (org_id, actor_id, actor_email, action, target_email, target_user_id, old_role, new_role, created_at)
     select $1, $2, 'owner@export.test', (case when g % 2 = 0 then 'member.role_changed' else 'invitation.created' end),
            'person' || g || '@export.test', 'user-' || g, 'read_only', 'admin', '2026-01-01'::timestamptz - (g || ' seconds')::interval
     from generate_series(1, $3::int) g`,
    [orgId, ownerId, ROWS],
  );
  await sql(dbUrl.toString(), "analyze activity");
  console.log(`seeded ${ROWS.toLocaleString("en-US")} records in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const cookie = await sessionCookie(dbUrl.toString(), ownerId);
  const from = "2025-01-01";
  const to = "2026-01-01";
  console.log("format   rows        bytes          seconds  rows/s    RSS before MB  RSS peak MB  VmHWM MB");
  for (const format of ["csv", "ndjson"] as const) {
    const before = kb(app.pid!, "VmRSS");
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, kb(app.pid!, "VmRSS"))), 20);
    started = performance.now();
    const response = await fetch(`${base}/orgs/${orgId}/activity/export?from=${from}&to=${to}&format=${format}`, { headers: { cookie } });
    if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (const b of chunk) if (b === 10) lines++;
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const rows = format === "csv" ? lines - 1 : lines;
    console.log(
      [
        format.padEnd(8),
        rows.toLocaleString("en-US").padEnd(11),
        bytes.toLocaleString("en-US").padEnd(14),
        seconds.toFixed(1).padEnd(8),
        Math.round(rows / seconds)
          .toLocaleString("en-US")
          .padEnd(9),
        mb(before).padEnd(14),
        mb(peak).padEnd(12),
        mb(kb(app.pid!, "VmHWM")),
      ].join(" "),
    );
  }
} finally {
  app.kill("SIGTERM");
  await new Promise((r) => app.once("exit", r));
  await sql(server, `drop database if exists ${dbName} with (force)`);
}
