/**
 * The project users page as a person waits for it, against a production build on a Postgres
 * server: 10, 1,000 and 100,000 collaborators (each project with 200 pending invitations, of which
 * the page lists 50, and two activity records per collaborator, of which it lists 50), another
 * tenant of 100,000 beside them, and the demo data's smallest project (`npm run db:seed`).
 *
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/project-page.ts
 *       [--app DIR]        the checkout to measure (default: this one); built unless --no-build
 *       [--sizes 10,1000,100000] [--runs 40] [--port 3231] [--other 100000]
 *       [--dump DIR]       also write each project's last page body to DIR (to see where its bytes go)
 *
 * Per project it prints, from `runs` requests one after another (after 5 to warm up):
 * - first byte: when the first chunk of the body arrived, p50/p95 ms; heading: when the page's
 *   <h1> had arrived; 1st chunk KB: that first chunk's size, p50 (the whole page when nothing
 *   streamed); full: when the whole body had, p50/p95 ms;
 * - req/s with 10 requests in flight;
 * - server CPU ms per page: user + system time of the app's process from /proc/<pid>/stat;
 * - Postgres CPU ms per page: user + system time of the database's backends, from
 *   /proc/<pid>/stat of every client backend pg_stat_activity lists for the bench database (not
 *   autovacuum, which analyzes the freshly seeded tables meanwhile), before and
 *   after (pg_stat_statements is not loaded on this server, so total_exec_time is not available;
 *   a backend the pool opens meanwhile counts whole, one it closes meanwhile is lost, and both
 *   are rare within a run);
 * - HTML KB raw and gzipped (zlib level 6), and SQL statements per page, counted by the loopback
 *   relay of bench/app-harness.ts (it adds a hop to every statement; the times include it).
 * Then the invite of one address through the page's server action, p50/p95 (the email is queued
 * in the transaction; OUTBOX_SWEEP_MS=0, so only the after-response attempt sends it).
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { countingRelay, inviteThroughAction, quantile, seedTenant, sessionCookie, sql, startApp, waitForApp } from "./app-harness";
import { concurrentInto, figures, newTally, sequentialInto, warm, type PageTarget } from "./page-timing";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const appDir = path.resolve(option("app", "."));
const sizes = option("sizes", "10,1000,100000").split(",").map(Number);
const runs = Number(option("runs", "40"));
const port = Number(option("port", "3231"));
const OTHER_TENANT = Number(option("other", "100000"));
const dumpDir = args.includes("--dump") ? path.resolve(option("dump", "")) : null;
const server = process.env.DATABASE_URL;
if (!server) throw new Error("Set DATABASE_URL to a Postgres server (a fresh database is made on it and dropped after).");

const dbName = `mc_page_${Date.now().toString(36)}`;
const adminUrl = new URL(server);
const dbUrl = new URL(server);
dbUrl.pathname = `/${dbName}`;
const base = `http://127.0.0.1:${port}`;
const f = (n: number) => n.toFixed(1);

async function measure(url: string, cookie: string, pid: number, monitor: pg.Client, dumpName: string) {
  const target: PageTarget = { url, cookie, pid, monitor, dbName, statements: relay.statements };
  await warm(target);
  const tally = newTally();
  await sequentialInto(tally, target, runs);
  await concurrentInto(tally, target, runs * 3);
  if (dumpDir) {
    mkdirSync(dumpDir, { recursive: true });
    writeFileSync(path.join(dumpDir, `${dumpName}.html`), tally.samples.at(-1)!.body);
  }
  const r = figures(tally);
  return {
    "first byte p50": f(r.firstByteP50),
    "first byte p95": f(r.firstByteP95),
    "heading p50": f(r.headingP50),
    "1st chunk KB": f(r.firstChunkKbP50),
    "full p50": f(r.fullP50),
    "full p95": f(r.fullP95),
    "req/s@10": f(r.requestsPerSecond),
    "server CPU ms": f(r.serverCpuMs),
    "PG CPU ms": f(r.pgCpuMs),
    "HTML KB": f(r.htmlKb),
    "gzip KB": f(r.gzipKb),
    SQL: f(r.statements),
  };
}

await sql(adminUrl.toString(), `create database ${dbName}`);
const relay = await countingRelay(dbUrl);
const relayUrl = new URL(dbUrl);
relayUrl.hostname = "127.0.0.1";
relayUrl.port = String(relay.port);
const monitor = new pg.Client({ connectionString: adminUrl.toString() });
await monitor.connect();
let app: ChildProcess | undefined;
try {
  if (!args.includes("--no-build")) {
    console.log(`[project-page] building ${appDir}`);
    const build = spawnSync("npm", ["run", "build"], { cwd: appDir, stdio: "ignore" });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  // The demo data (migrations first), through this checkout's own seed script.
  const seeded = spawnSync("npx", ["tsx", "scripts/seed.ts"], {
    cwd: appDir,
    stdio: "ignore",
    env: { ...process.env, DATABASE_URL: dbUrl.toString() },
  });
  if (seeded.status !== 0) throw new Error("npm run db:seed failed");
  app = startApp(appDir, port, relayUrl.toString());
  await waitForApp(app, base);
  console.log(`[project-page] seeding: another tenant with ${OTHER_TENANT.toLocaleString("en")} collaborators, then ${sizes.join(", ")}`);
  if (OTHER_TENANT > 0) await seedTenant(dbUrl.toString(), "other", OTHER_TENANT);
  const targets: { name: string; orgId: string; projectId: string; cookie: string }[] = [];
  for (const size of sizes) {
    const t = await seedTenant(dbUrl.toString(), `s${size}`, size);
    targets.push({ name: `${size.toLocaleString("en")} collaborators`, ...t });
  }
  const [demo] = await sql(
    dbUrl.toString(),
    `select p.org_id, p.id, count(*)::int as n from projects p join project_memberships m on m.project_id = p.id
     join organizations o on o.id = p.org_id where o.name = 'Acme Vector' group by p.org_id, p.id order by n, p.id limit 1`,
  );
  const [owner] = await sql(dbUrl.toString(), "select id from users where email = 'owner@acme.test'");
  targets.push({
    name: `demo (${demo!.n} collaborators), as owner@acme.test`,
    orgId: demo!.org_id,
    projectId: demo!.id,
    cookie: await sessionCookie(dbUrl.toString(), owner!.id),
  });

  const rows: Record<string, string>[] = [];
  for (const t of targets) {
    const pageUrl = `${base}/orgs/${t.orgId}/projects/${t.projectId}/members`;
    rows.push({ project: t.name, ...(await measure(pageUrl, t.cookie, app.pid!, monitor, t.name.split(" ")[0]!.replace(/\W/g, ""))) });
  }
  console.table(rows);

  // Invites need room under the seat limit (1,000 members + pending): their own organization.
  const mid = await seedTenant(dbUrl.toString(), "invites", 100);
  const one: number[] = [];
  for (let i = 0; i < 5; i++) await inviteThroughAction(appDir, base, mid, [`warm-${i}-${randomUUID().slice(0, 8)}@invitee.test`]);
  for (let i = 0; i < runs; i++)
    one.push(await inviteThroughAction(appDir, base, mid, [`one-${i}-${randomUUID().slice(0, 8)}@invitee.test`]));
  console.table([{ what: `invite 1 address (${mid.size} collaborators)`, p50: f(quantile(one, 0.5)), p95: f(quantile(one, 0.95)) }]);
} finally {
  app?.kill("SIGTERM");
  if (app && app.exitCode === null) await new Promise((resolve) => app!.once("exit", resolve));
  await relay.close();
  await monitor.end();
  await sql(adminUrl.toString(), `drop database if exists ${dbName} with (force)`);
}
