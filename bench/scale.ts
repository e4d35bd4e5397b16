/**
 * The members page and its lists at 10, 1,000 and 100,000 collaborators, and invites, against a
 * production build on a Postgres server — with a second, larger tenant (150,000 collaborators) in
 * the same database, so what one tenant costs another shows.
 *
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/scale.ts
 *       [--app DIR]        the checkout to measure (default: this one); built unless --no-build
 *       [--sizes 10,1000,100000] [--runs 30] [--port 3170]
 *       [--other 150000]   the other tenant's size (0: none)
 *       [--pages-only]     no invites
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the app (the profile is written when it exits).
 *
 * Per size it prints the members page and the collaborators list route (page 1 and the last
 * page; the last page is asked for both ways, `page=N` for checkouts that page by number and
 * `cursor=` for those that page by keyset, each ignoring the other): p50/p95 ms, requests/s with 10 in flight, server CPU ms per request (from /proc), HTML
 * bytes and SQL statements per request; then invite of 1 and of 50 addresses (p50, statements,
 * the re-rendered page included) and 20 admins of one organization inviting at once (p95).
 * Statements are counted by a loopback relay between the app and Postgres that reads the wire
 * protocol (Execute and simple Query messages); it adds a hop to every statement, so the times
 * include it. Only `pg` and raw SQL here, so the same script measures an older checkout.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  countingRelay,
  cpuMs,
  inviteThroughAction,
  quantile,
  relayed,
  seedTenant as seed,
  sql,
  startApp,
  waitForApp,
  type Tenant,
} from "./app-harness";
import { option, requestsPerSecond, scratchName, serverUrl } from "./scratch-database";

const args = process.argv.slice(2);
const appDir = path.resolve(option("app", "."));
const sizes = option("sizes", "10,1000,100000").split(",").map(Number);
const runs = Number(option("runs", "30"));
const port = Number(option("port", "3170"));
const OTHER_TENANT = Number(option("other", "150000"));
const server = serverUrl();

const { name: dbName, url: dbUrl } = scratchName(server, "mc_scale");

/**
 * The keyset cursor of the collaborators list that starts at 0-based position `start`, built
 * from raw SQL as lib/membership/keyset.ts encodes it: base64url of JSON
 * { l: "collaborators", d: "a", k: [role, email of the row before it], i: start }. Undefined on
 * a checkout without project_memberships.email (it pages by number).
 */
async function collaboratorsCursor(projectId: string, start: number): Promise<string | undefined> {
  if (start <= 0) return undefined;
  try {
    // Ordered by the enum (admin, read_write, read_only) as the app orders, not by the role's text.
    const [row] = await sql(
      dbUrl.toString(),
      "select role::text as role_text, email from project_memberships where project_id = $1 order by role, email offset $2 limit 1",
      [projectId, start - 1],
    );
    if (!row) return undefined;
    return Buffer.from(JSON.stringify({ l: "collaborators", d: "a", k: [row.role_text, row.email], i: start }), "utf8").toString(
      "base64url",
    );
  } catch {
    return undefined;
  }
}

const seedTenant = (label: string, size: number, extraAdmins = 0) => seed(dbUrl.toString(), label, size, { extraAdmins });

// ── The app ──

const base = `http://127.0.0.1:${port}`;

async function get(url: string, cookie: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const body = await response.arrayBuffer();
  // BENCH_SAVE_DIR keeps the last body of each kind of request, to see what a page is made of.
  if (process.env.BENCH_SAVE_DIR)
    writeFileSync(path.join(process.env.BENCH_SAVE_DIR, new URL(url).pathname.split("/").pop()!), Buffer.from(body));
  return { ms: performance.now() - started, bytes: body.byteLength, status: response.status };
}

const f = (n: number) => n.toFixed(1);

async function measure(url: string, cookie: string, pid: number) {
  for (let i = 0; i < 3; i++) await get(url, cookie);
  const times: number[] = [];
  let bytes = 0;
  const cpuBefore = cpuMs(pid);
  const statementsBefore = relayed.statements;
  for (let i = 0; i < runs; i++) {
    const r = await get(url, cookie);
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
    times.push(r.ms);
    bytes = r.bytes;
  }
  const cpu = (cpuMs(pid) - cpuBefore) / runs;
  const perRequest = (relayed.statements - statementsBefore) / runs;
  // Throughput with 10 requests in flight.
  const rps = await requestsPerSecond(runs * 3, 10, () => get(url, cookie));
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rps, cpu, bytes, statements: perRequest };
}

const invite = (tenant: Tenant, cookie: string, projectId: string, emails: string[]) =>
  inviteThroughAction(appDir, base, { orgId: tenant.orgId, projectId, cookie }, emails);

// ── Run ──

await sql(server, `create database ${dbName}`);
const relay = await countingRelay(dbUrl);
const relayUrl = new URL(dbUrl);
relayUrl.hostname = "127.0.0.1";
relayUrl.port = String(relay.port);
let app: ChildProcess | undefined;
try {
  if (!args.includes("--no-build")) {
    console.log(`[scale] building ${appDir}`);
    const build = spawnSync("npm", ["run", "build"], { cwd: appDir, stdio: "ignore" });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  app = startApp(appDir, port, relayUrl.toString());
  await waitForApp(app, base);
  console.log(`[scale] seeding: another tenant with ${OTHER_TENANT.toLocaleString("en")} collaborators, then ${sizes.join(", ")}`);
  if (OTHER_TENANT > 0) await seedTenant("other", OTHER_TENANT);
  const tenants: Tenant[] = [];
  for (const size of sizes) tenants.push(await seedTenant(`s${size}`, size));
  // Invites need room under the seat limit (1,000 members + pending): their own organization.
  const mid = await seedTenant("invites", 100, 20);

  const rows: Record<string, string | number>[] = [];
  for (const t of tenants) {
    const pageUrl = `${base}/orgs/${t.orgId}/projects/${t.projectId}/members`;
    const listUrl = (page: number, cursor?: string) =>
      `${base}/api/orgs/${t.orgId}/projects/${t.projectId}/collaborators?page=${page}${cursor ? `&cursor=${cursor}` : ""}`;
    const lastPage = Math.max(1, Math.ceil(t.size / 50));
    const lastCursor = await collaboratorsCursor(t.projectId, (lastPage - 1) * 50);
    const page = await measure(pageUrl, t.cookie, app.pid!);
    const first = await measure(listUrl(1), t.cookie, app.pid!);
    const last = await measure(listUrl(lastPage, lastCursor), t.cookie, app.pid!);
    rows.push({
      collaborators: t.size,
      "page p50": f(page.p50),
      "page p95": f(page.p95),
      "page req/s@10": f(page.rps),
      "page CPU ms": f(page.cpu),
      "page KB": f(page.bytes / 1024),
      "page SQL": f(page.statements),
      "list p1 p50": f(first.p50),
      "list p1 p95": f(first.p95),
      [`list last p50`]: f(last.p50),
      "list CPU ms": f(first.cpu),
      "list SQL": f(first.statements),
    });
  }
  console.table(rows);

  if (!args.includes("--pages-only")) {
    const one: number[] = [];
    const oneSql: number[] = [];
    for (let i = 0; i < runs; i++) {
      const before = relayed.statements;
      one.push(await invite(mid, mid.cookie, mid.projectId, [`one-${i}-${randomUUID().slice(0, 8)}@invitee.test`]));
      oneSql.push(relayed.statements - before);
    }
    const fifty: number[] = [];
    const fiftySql: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = relayed.statements;
      fifty.push(
        await invite(
          mid,
          mid.cookie,
          mid.projectId,
          Array.from({ length: 50 }, (_, k) => `fifty-${i}-${k}-${randomUUID().slice(0, 8)}@invitee.test`),
        ),
      );
      fiftySql.push(relayed.statements - before);
    }
    const crowd: number[] = [];
    for (let round = 0; round < 5; round++) {
      crowd.push(
        ...(await Promise.all(
          mid.admins.map((a, k) => invite(mid, a.cookie, a.projectId, [`crowd-${round}-${k}-${randomUUID().slice(0, 8)}@invitee.test`])),
        )),
      );
    }
    console.table([
      {
        what: `invite 1 address (${mid.size} collaborators)`,
        p50: f(quantile(one, 0.5)),
        p95: f(quantile(one, 0.95)),
        "SQL per request": f(quantile(oneSql, 0.5)),
      },
      {
        what: "invite 50 addresses",
        p50: f(quantile(fifty, 0.5)),
        p95: f(quantile(fifty, 0.95)),
        "SQL per request": f(quantile(fiftySql, 0.5)),
      },
      {
        what: "20 admins of one organization at once, 1 address each (5 rounds)",
        p50: f(quantile(crowd, 0.5)),
        p95: f(quantile(crowd, 0.95)),
        "SQL per request": "",
      },
    ]);
  }
} finally {
  app?.kill("SIGTERM");
  if (app && app.exitCode === null) await new Promise((resolve) => app!.once("exit", resolve));
  relay.server.close();
  await sql(server, `drop database if exists ${dbName} with (force)`);
}
