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
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import path from "node:path";
import pg from "pg";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const appDir = path.resolve(option("app", "."));
const sizes = option("sizes", "10,1000,100000").split(",").map(Number);
const runs = Number(option("runs", "30"));
const port = Number(option("port", "3170"));
const OTHER_TENANT = Number(option("other", "150000"));
const server = process.env.DATABASE_URL;
if (!server) throw new Error("Set DATABASE_URL to a Postgres server (a fresh database is made on it and dropped after).");

const dbName = `mc_scale_${Date.now().toString(36)}`;
const adminUrl = new URL(server);
const dbUrl = new URL(server);
dbUrl.pathname = `/${dbName}`;

// ── A counting relay: every statement the app sends passes here ──

let statements = 0;
function countingRelay(target: URL): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const relay = createServer((client: Socket) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      // As pg does on its own sockets: without this, Nagle's algorithm and delayed ACKs add up to
      // 40 ms to a statement whose answer follows a small write (one transaction's statements in a row).
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      let started = false;
      let buffered = Buffer.alloc(0);
      client.on("data", (chunk) => {
        upstream.write(chunk);
        buffered = Buffer.concat([buffered, chunk]);
        for (;;) {
          if (!started) {
            // The startup message (and an SSL request) has no type byte.
            if (buffered.length < 4) break;
            const length = buffered.readInt32BE(0);
            if (buffered.length < length) break;
            const code = buffered.readInt32BE(4);
            buffered = buffered.subarray(length);
            if (code !== 80877103) started = true;
            continue;
          }
          if (buffered.length < 5) break;
          const length = buffered.readInt32BE(1);
          if (buffered.length < 1 + length) break;
          const type = String.fromCharCode(buffered[0]!);
          if (type === "E" || type === "Q") statements++;
          buffered = buffered.subarray(1 + length);
        }
      });
      upstream.on("data", (chunk) => client.write(chunk));
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", end).on("close", end);
      upstream.on("error", end).on("close", end);
    });
    relay.listen(0, "127.0.0.1", () => resolve({ server: relay, port: (relay.address() as { port: number }).port }));
  });
}

// ── Seeding with raw SQL (generate_series), so 250,000 rows take seconds ──

async function sql(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

interface Tenant {
  orgId: string;
  projectId: string;
  size: number;
  cookie: string;
  admins: { cookie: string; projectId: string }[];
}

async function sessionCookie(userId: string): Promise<string> {
  const token = randomBytes(24).toString("hex");
  await sql(dbUrl.toString(), "insert into sessions (session_token, user_id, expires) values ($1, $2, now() + interval '1 day')", [
    token,
    userId,
  ]);
  return `authjs.session-token=${token}`;
}

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

/** An organization whose project has `size` collaborators (one admin: the owner), 200 pending invitations, 2 activity rows each. */
async function seedTenant(label: string, size: number, extraAdmins = 0): Promise<Tenant> {
  const url = dbUrl.toString();
  const orgId = randomUUID();
  const projectId = randomUUID();
  const ownerId = randomUUID();
  await sql(url, "insert into organizations (id, name) values ($1, $2)", [orgId, `Scale ${label}`]);
  await sql(url, "insert into projects (id, org_id, name, is_default) values ($1, $2, $3, true)", [projectId, orgId, `Project ${label}`]);
  await sql(url, "insert into users (id, email, name) values ($1, $2, 'Owner')", [ownerId, `owner-${label}@scale.test`]);
  await sql(url, "insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'owner')", [orgId, ownerId]);
  await sql(url, "insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, 'admin')", [
    orgId,
    projectId,
    ownerId,
  ]);
  const others = size - 1;
  if (others > 0) {
    await sql(
      url,
      `insert into users (id, email, name) select '${label}-' || g, 'person' || g || '-${label}@scale.test', 'Person ' || g from generate_series(1, $1) g`,
      [others],
    );
    await sql(
      url,
      `insert into organization_memberships (org_id, user_id, role) select $1, '${label}-' || g, 'member' from generate_series(1, $2) g`,
      [orgId, others],
    );
    await sql(
      url,
      `insert into project_memberships (org_id, project_id, user_id, role)
       select $1, $2, '${label}-' || g, (case when g % 10 = 0 then 'admin' when g % 3 = 0 then 'read_write' else 'read_only' end)::project_role from generate_series(1, $3) g`,
      [orgId, projectId, others],
    );
  }
  await sql(
    url,
    `with i as (
       insert into invitations (org_id, email, org_role, token_hash, invited_by_id, expires_at, last_sent_at)
       select $1::uuid, 'pending' || g || '-${label}@scale.test', 'member', md5(random()::text || g || $1::text), $2, now() + interval '2 days', now() from generate_series(1, 200) g
       returning id)
     insert into invitation_project_grants (invitation_id, org_id, project_id, role) select id, $1, $3, 'read_only' from i`,
    [orgId, ownerId, projectId],
  );
  await sql(
    url,
    `insert into activity (org_id, project_id, actor_id, actor_email, action, target_email, new_role, created_at)
     select $1, $2, $3, 'owner-${label}@scale.test', (case when g % 2 = 0 then 'member.added' else 'invitation.created' end), 'person' || (g / 2) || '-${label}@scale.test', 'read_only', now() - (g || ' seconds')::interval
     from generate_series(1, $4) g`,
    [orgId, projectId, ownerId, 2 * size],
  );
  const admins: Tenant["admins"] = [];
  for (let i = 0; i < extraAdmins; i++) {
    const id = randomUUID();
    const pid = randomUUID();
    await sql(url, "insert into users (id, email, name) values ($1, $2, 'Admin')", [id, `admin${i}-${label}@scale.test`]);
    await sql(url, "insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'member')", [orgId, id]);
    await sql(url, "insert into projects (id, org_id, name) values ($1, $2, $3)", [pid, orgId, `Admin project ${i}`]);
    await sql(url, "insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, 'admin')", [orgId, pid, id]);
    admins.push({ cookie: await sessionCookie(id), projectId: pid });
  }
  await sql(url, "analyze");
  return { orgId, projectId, size, cookie: await sessionCookie(ownerId), admins };
}

// ── The app ──

function startApp(databaseUrl: string): ChildProcess {
  const standalone = existsSync(path.join(appDir, "scripts/start.mjs"));
  const command = standalone ? ["scripts/start.mjs"] : ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)];
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  return spawn(process.execPath, [...nodeArgs, ...command], {
    cwd: appDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      APP_URL: `http://127.0.0.1:${port}`,
      AUTH_SECRET: "bench-secret-0123456789abcdef0123456789",
      AUTH_TRUST_HOST: "true",
      ALLOW_LOCAL_MAILBOX_IN_PRODUCTION: "true",
      RESEND_API_KEY: "",
      OUTBOX_SWEEP_MS: "0",
      EMAIL_LIMIT_PER_RECIPIENT: "1000000",
      EMAIL_LIMIT_PER_INVITER: "1000000",
      EMAIL_LIMIT_PER_ORGANIZATION: "1000000",
    },
  });
}

const base = `http://127.0.0.1:${port}`;

/** CPU time (user + system) of a process and its children so far, in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  // utime, stime, cutime, cstime are fields 14–17 of the line; 12–15 after the name.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) * 10;
}

async function get(url: string, cookie: string): Promise<{ ms: number; bytes: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const body = await response.arrayBuffer();
  // BENCH_SAVE_DIR keeps the last body of each kind of request, to see what a page is made of.
  if (process.env.BENCH_SAVE_DIR)
    writeFileSync(path.join(process.env.BENCH_SAVE_DIR, new URL(url).pathname.split("/").pop()!), Buffer.from(body));
  return { ms: performance.now() - started, bytes: body.byteLength, status: response.status };
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
const f = (n: number) => n.toFixed(1);

async function measure(url: string, cookie: string, pid: number) {
  for (let i = 0; i < 3; i++) await get(url, cookie);
  const times: number[] = [];
  let bytes = 0;
  const cpuBefore = cpuMs(pid);
  const statementsBefore = statements;
  for (let i = 0; i < runs; i++) {
    const r = await get(url, cookie);
    if (r.status !== 200) throw new Error(`${url} answered ${r.status}`);
    times.push(r.ms);
    bytes = r.bytes;
  }
  const cpu = (cpuMs(pid) - cpuBefore) / runs;
  const perRequest = (statements - statementsBefore) / runs;
  // Throughput with 10 requests in flight.
  const total = runs * 3;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next++ < total) await get(url, cookie);
    }),
  );
  const rps = total / ((performance.now() - started) / 1000);
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), rps, cpu, bytes, statements: perRequest };
}

function actionId(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(appDir, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action ${name} in the build`);
  return id;
}

async function invite(tenant: Tenant, cookie: string, projectId: string, emails: string[]): Promise<number> {
  const pagePath = `/orgs/${tenant.orgId}/projects/${projectId}/members`;
  const started = performance.now();
  const response = await fetch(`${base}${pagePath}`, {
    method: "POST",
    headers: {
      "next-action": actionId("inviteUsersAction"),
      "content-type": "text/plain;charset=UTF-8",
      origin: base,
      accept: "text/x-component",
      cookie,
    },
    body: JSON.stringify([{ orgId: tenant.orgId, projectId, emails: emails.join("\n"), role: "read_only" }]),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  const result = text.split("\n").find((l) => l.startsWith("1:")) ?? "";
  if (response.status !== 200 || !result.includes('"invited"'))
    throw new Error(`invite answered ${response.status}: ${result.slice(0, 300)}`);
  return ms;
}

// ── Run ──

await sql(adminUrl.toString(), `create database ${dbName}`);
const relay = await countingRelay(dbUrl);
const relayed = new URL(dbUrl);
relayed.hostname = "127.0.0.1";
relayed.port = String(relay.port);
let app: ChildProcess | undefined;
try {
  if (!args.includes("--no-build")) {
    console.log(`[scale] building ${appDir}`);
    const build = spawnSync("npm", ["run", "build"], { cwd: appDir, stdio: "ignore" });
    if (build.status !== 0) throw new Error("npm run build failed");
  }
  app = startApp(relayed.toString());
  for (;;) {
    const ok = await fetch(`${base}/sign-in`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (app.exitCode !== null) throw new Error("the app exited");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
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
      const before = statements;
      one.push(await invite(mid, mid.cookie, mid.projectId, [`one-${i}-${randomUUID().slice(0, 8)}@invitee.test`]));
      oneSql.push(statements - before);
    }
    const fifty: number[] = [];
    const fiftySql: number[] = [];
    for (let i = 0; i < 8; i++) {
      const before = statements;
      fifty.push(
        await invite(
          mid,
          mid.cookie,
          mid.projectId,
          Array.from({ length: 50 }, (_, k) => `fifty-${i}-${k}-${randomUUID().slice(0, 8)}@invitee.test`),
        ),
      );
      fiftySql.push(statements - before);
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
  await sql(adminUrl.toString(), `drop database if exists ${dbName} with (force)`);
}
