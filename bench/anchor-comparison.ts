/**
 * Our project users page against vercel's nextjs/saas-starter (the anchor of issue 23), whose
 * `/dashboard` lists a team's members: both production builds, on this machine, on the same
 * Postgres server, each through its own statement-counting relay, measured in alternating rounds
 * (so the load of whatever else runs on the machine falls on both alike).
 *
 *     DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/anchor-comparison.ts
 *       [--anchor /work/anchor]  the anchor's checkout, prepared as the README says (Google font
 *                                and Stripe stood in for, `npm install` done)
 *       [--rounds 8] [--runs 20] per round and app: `runs` requests one after another, then
 *                                `runs * 2` with 10 in flight, then `runs` invites (after all pages)
 *       [--port 3232] [--anchor-port 3250] [--anchor-relay-port 3251]
 *       [--no-build]             use both checkouts' existing builds
 *
 * Ours: a fresh database (migrations and demo data through scripts/seed.ts), then a project with
 * 10 collaborators, 200 pending invitations (the page lists 50) and 20 activity rows
 * (bench/app-harness.ts's seedTenant); the owner's session. Theirs: a fresh database `anchor_bench`
 * (its drizzle migrations and its seed: user 1 owns team 1), 9 more members (10 people), 200
 * pending invitations and 20 activity rows; a session JWT for user 1 signed by the anchor's own
 * `signToken` (lib/auth/session.ts) with its AUTH_SECRET.
 *
 * Figures per app (bench/page-timing.ts): first byte and full body p50/p95 of the sequential
 * requests; req/s with 10 in flight; HTML KB raw/gzip; server CPU ms per page (user + system of
 * the app's process, /proc/<pid>/stat); Postgres CPU ms per page (user + system of the app
 * database's backends, /proc); SQL statements per page (Execute and simple Query messages on the
 * wire); the invite of one address p50/p95 through each page's own server action, and its
 * statements (ours also sends its email after the response, within the same request's process).
 */
import { spawnSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import pg from "pg";
import { countingRelay, cpuMs, inviteThroughAction, quantile, seedTenant, sql, startApp, waitForApp } from "./app-harness";
import {
  concurrentInto,
  figures,
  newTally,
  sequentialInto,
  timedGet,
  warm,
  type PageFigures,
  type PageTarget,
  type Tally,
} from "./page-timing";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
};
const appDir = path.resolve(".");
const anchorDir = path.resolve(option("anchor", "/work/anchor"));
const rounds = Number(option("rounds", "8"));
const runs = Number(option("runs", "20"));
const port = Number(option("port", "3232"));
const anchorPort = Number(option("anchor-port", "3250"));
const anchorRelayPort = Number(option("anchor-relay-port", "3251"));
const build = !args.includes("--no-build");
const server = process.env.DATABASE_URL;
if (!server) throw new Error("Set DATABASE_URL to a Postgres server (a fresh database for each app is made on it and dropped after).");

const adminUrl = new URL(server);
const ourDb = `mc_anchor_${Date.now().toString(36)}`;
const ourUrl = new URL(server);
ourUrl.pathname = `/${ourDb}`;
const anchorDb = "anchor_bench";
const anchorUrl = new URL(server);
anchorUrl.pathname = `/${anchorDb}`;
const base = `http://127.0.0.1:${port}`;
const anchorBase = `http://127.0.0.1:${anchorPort}`;
const PEOPLE = 10;
const ANCHOR_SECRET = "anchor-bench-secret-0123456789abcdef";

/** The anchor's environment: its database (or the relay in front of it), stand-in Stripe keys. */
const anchorEnv = (postgresUrl: string): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  POSTGRES_URL: postgresUrl,
  AUTH_SECRET: ANCHOR_SECRET,
  STRIPE_SECRET_KEY: "sk_test_stand_in",
  STRIPE_WEBHOOK_SECRET: "whsec_stand_in",
  BASE_URL: anchorBase,
});

function run(command: string, commandArgs: string[], cwd: string, env: NodeJS.ProcessEnv, what: string): string {
  const result = spawnSync(command, commandArgs, { cwd, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr.slice(-2000)}`);
  return result.stdout;
}

/** The anchor's database: its migrations and seed, then 10 people, 200 pending invitations, 20 activity rows. */
async function prepareAnchorDatabase() {
  await sql(adminUrl.toString(), `drop database if exists ${anchorDb} with (force)`);
  await sql(adminUrl.toString(), `create database ${anchorDb}`);
  const env = anchorEnv(anchorUrl.toString());
  run("npx", ["drizzle-kit", "migrate"], anchorDir, env, "the anchor's drizzle-kit migrate");
  run("npx", ["tsx", "lib/db/seed.ts"], anchorDir, env, "the anchor's seed");
  const url = anchorUrl.toString();
  await sql(
    url,
    `insert into users (name, email, password_hash, role)
     select 'Person ' || g, 'person' || g || '@anchor.test', (select password_hash from users where id = 1), 'member' from generate_series(1, $1) g`,
    [PEOPLE - 1],
  );
  await sql(url, "insert into team_members (user_id, team_id, role) select id, 1, 'member' from users where id <> 1");
  await sql(
    url,
    `insert into invitations (team_id, email, role, invited_by, status)
     select 1, 'pending' || g || '@anchor.test', 'member', 1, 'pending' from generate_series(1, 200) g`,
  );
  await sql(
    url,
    `insert into activity_logs (team_id, user_id, action, timestamp, ip_address)
     select 1, 1, 'INVITE_TEAM_MEMBER', now() - (g || ' seconds')::interval, '127.0.0.1' from generate_series(1, 20) g`,
  );
  await sql(url, "analyze");
}

/** A session cookie for the anchor's user 1, signed by the anchor's own signToken. */
function anchorCookie(): string {
  const code = `import { signToken } from "./lib/auth/session.ts";
const expires = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
signToken({ user: { id: 1 }, expires }).then((token) => console.log(token));`;
  const token = run("npx", ["tsx", "--eval", code], anchorDir, anchorEnv(anchorUrl.toString()), "signing the anchor's session").trim();
  return `session=${token.split("\n").at(-1)}`;
}

/** The id of the anchor's inviteTeamMember action, from its dashboard's client chunk (its manifest does not name actions). */
function anchorInviteActionId(): string {
  const chunks = path.join(anchorDir, ".next/static/chunks/app/(dashboard)/dashboard");
  for (const file of readdirSync(chunks).filter((name) => name.endsWith(".js"))) {
    const match = /createServerReference\)\("([0-9a-f]+)",[^)]*"inviteTeamMember"\)/.exec(readFileSync(path.join(chunks, file), "utf8"));
    if (match) return match[1]!;
  }
  throw new Error("no inviteTeamMember action in the anchor's build");
}

/** Invites one address through the anchor's action as its page's form does (useActionState); the time in ms. */
async function anchorInvite(cookie: string, actionId: string, email: string): Promise<number> {
  const form = new FormData();
  form.append("1_email", email);
  form.append("1_role", "member");
  form.append("0", JSON.stringify([{}, "$K1"]));
  const started = performance.now();
  const response = await fetch(`${anchorBase}/dashboard`, {
    method: "POST",
    headers: { "next-action": actionId, origin: anchorBase, accept: "text/x-component", cookie },
    body: form,
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200 || !text.includes("Invitation sent successfully"))
    throw new Error(`the anchor's invite answered ${response.status}: ${text.slice(0, 300)}`);
  return ms;
}

async function stop(app: ChildProcess | undefined) {
  if (!app || app.exitCode !== null) return;
  app.kill("SIGTERM");
  await new Promise((resolve) => app.once("exit", resolve));
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

const monitor = new pg.Client({ connectionString: adminUrl.toString() });
let ours: ChildProcess | undefined;
let theirs: ChildProcess | undefined;
let ourRelay: Awaited<ReturnType<typeof countingRelay>> | undefined;
let anchorRelay: Awaited<ReturnType<typeof countingRelay>> | undefined;
try {
  if (build) {
    console.log(`[anchor-comparison] building ${appDir}`);
    run("npm", ["run", "build"], appDir, process.env, "our build");
    console.log(`[anchor-comparison] building ${anchorDir}`);
    run("npx", ["next", "build"], anchorDir, anchorEnv(anchorUrl.toString()), "the anchor's build");
  }
  await monitor.connect();

  // Ours.
  await sql(adminUrl.toString(), `create database ${ourDb}`);
  run("npx", ["tsx", "scripts/seed.ts"], appDir, { ...process.env, DATABASE_URL: ourUrl.toString() }, "our seed");
  ourRelay = await countingRelay(ourUrl);
  const ourRelayUrl = new URL(ourUrl);
  ourRelayUrl.port = String(ourRelay.port);
  ours = startApp(appDir, port, ourRelayUrl.toString());
  await waitForApp(ours, base);
  const tenant = await seedTenant(ourUrl.toString(), "anchor", PEOPLE);

  // Theirs.
  await prepareAnchorDatabase();
  anchorRelay = await countingRelay(anchorUrl, anchorRelayPort);
  const anchorRelayUrl = new URL(anchorUrl);
  anchorRelayUrl.port = String(anchorRelay.port);
  const anchorApp = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(anchorPort)], {
    cwd: anchorDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: anchorEnv(anchorRelayUrl.toString()),
  });
  theirs = anchorApp;
  await waitForApp(anchorApp, anchorBase);
  const cookie = anchorCookie();
  const actionId = anchorInviteActionId();

  const targets: Record<"ours" | "theirs", PageTarget> = {
    ours: {
      url: `${base}/orgs/${tenant.orgId}/projects/${tenant.projectId}/members`,
      cookie: tenant.cookie,
      pid: ours.pid!,
      monitor,
      dbName: ourDb,
      statements: ourRelay.statements,
    },
    theirs: {
      url: `${anchorBase}/dashboard`,
      cookie,
      pid: anchorApp.pid!,
      monitor,
      dbName: anchorDb,
      statements: anchorRelay.statements,
    },
  };
  // Both pages show their 10 people (the anchor renders its members on the server too).
  const ourPage = (await timedGet(targets.ours.url, targets.ours.cookie)).body.toString("utf8");
  const theirPage = (await timedGet(targets.theirs.url, targets.theirs.cookie)).body.toString("utf8");
  for (let g = 1; g < PEOPLE; g++) {
    if (!ourPage.includes(`person${g}-anchor@scale.test`)) throw new Error(`our page lacks person ${g}`);
    if (!theirPage.includes(`person${g}@anchor.test`)) throw new Error(`the anchor's page lacks person ${g}`);
  }

  const loadBefore = load();
  console.log(`[anchor-comparison] ${rounds} alternating rounds of ${runs} + ${runs * 2} requests each; load average ${loadBefore}`);
  const tallies: Record<"ours" | "theirs", Tally> = { ours: newTally(), theirs: newTally() };
  for (const side of ["ours", "theirs"] as const) await warm(targets[side], 10);
  for (let round = 0; round < rounds; round++) {
    // Ours first in even rounds, theirs first in odd ones.
    const order = round % 2 === 0 ? (["ours", "theirs"] as const) : (["theirs", "ours"] as const);
    for (const side of order) {
      await warm(targets[side], 2);
      await sequentialInto(tallies[side], targets[side], runs);
      await concurrentInto(tallies[side], targets[side], runs * 2);
    }
  }
  const invites: Record<"ours" | "theirs", number[]> = { ours: [], theirs: [] };
  const inviteStatements = { ours: 0, theirs: 0 };
  const invite = (side: "ours" | "theirs", label: string) =>
    side === "ours"
      ? inviteThroughAction(appDir, base, tenant, [`${label}-${randomUUID().slice(0, 8)}@invitee.test`])
      : anchorInvite(cookie, actionId, `${label}-${randomUUID().slice(0, 8)}@invitee.test`);
  for (const side of ["ours", "theirs"] as const) for (let i = 0; i < 3; i++) await invite(side, "warm");
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? (["ours", "theirs"] as const) : (["theirs", "ours"] as const);
    for (const side of order)
      for (let i = 0; i < runs; i++) {
        const before = targets[side].statements();
        invites[side].push(await invite(side, `r${round}-${i}`));
        inviteStatements[side] += targets[side].statements() - before;
      }
  }
  const loadAfter = load();

  const a = figures(tallies.ours);
  const b = figures(tallies.theirs);
  const f1 = (n: number) => n.toFixed(1);
  const row = (figure: string, x: number, y: number, digits = 1) => ({
    figure,
    ours: x.toFixed(digits),
    "saas-starter": y.toFixed(digits),
    "ours / theirs": y > 0 ? (x / y).toFixed(2) : "—",
  });
  const pick = (k: keyof PageFigures) => [a[k], b[k]] as const;
  console.table([
    row("first byte p50 ms", ...pick("firstByteP50")),
    row("first byte p95 ms", ...pick("firstByteP95")),
    row("full body p50 ms", ...pick("fullP50")),
    row("full body p95 ms", ...pick("fullP95")),
    row("req/s, 10 in flight", ...pick("requestsPerSecond")),
    row("HTML KB raw", ...pick("htmlKb")),
    row("HTML KB gzip", ...pick("gzipKb")),
    row("server CPU ms / page", ...pick("serverCpuMs")),
    row("Postgres CPU ms / page", ...pick("pgCpuMs")),
    row("SQL statements / page", ...pick("statements")),
    row("invite 1 address p50 ms", quantile(invites.ours, 0.5), quantile(invites.theirs, 0.5)),
    row("invite 1 address p95 ms", quantile(invites.ours, 0.95), quantile(invites.theirs, 0.95)),
    row("SQL statements / invite", inviteStatements.ours / invites.ours.length, inviteStatements.theirs / invites.theirs.length),
  ]);
  console.log(
    `[anchor-comparison] ${PEOPLE} people each; ${tallies.ours.samples.length} sequential requests per app, ` +
      `${tallies.ours.throughputRequests} with 10 in flight, ${invites.ours.length} invites; ` +
      `load average (1/5/15 min) ${loadBefore} before, ${loadAfter} after; ` +
      `server CPU of the app's process ${f1(cpuMs(targets.ours.pid))} / ${f1(cpuMs(anchorApp.pid!))} ms in all`,
  );
} finally {
  await stop(ours);
  await stop(theirs);
  await ourRelay?.close();
  await anchorRelay?.close();
  await monitor.end().catch(() => {});
  await sql(adminUrl.toString(), `drop database if exists ${ourDb} with (force)`);
}
