import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { openDatabase } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { startFakeResend, type FakeResend } from "../tests/email/fake-resend";
import { startReceiver, type Receiver } from "../tests/webhooks/receiver";
import { actionId } from "./doors";
import { DEMO } from "./helpers";

/**
 * The deployment the Dockerfile and compose.yaml describe, run for real: the standalone build copied
 * out of the repository (as the image's COPY does) and started the way the image starts it, two app
 * instances and two workers on one Postgres database behind a round-robin loopback proxy, and an
 * email provider that fails for a while. A person signs in through one instance and acts on the
 * other; 200 invitations go out across both; nothing is lost, nothing is sent twice, the limits
 * and the invariants hold across instances. The organization has a webhook endpoint on a receiver
 * this test starts on loopback: the workers deliver the 200 invitation.created events, each
 * verified with `standardwebhooks`, none lost.
 */

const SECRET = "deployment-test-secret-0123456789abcdef";
const INVITER = "owner@acme.test";
const PROJECT_PATH = `/orgs/${DEMO.orgId}/projects/${DEMO.searchProdId}/members`;
const LOG_DIR = "test-results/deployment";

/** What the Dockerfile says the image runs: its CMD, from the folder it copies the build into. */
function imageCommand(): string[] {
  const dockerfile = readFileSync("Dockerfile", "utf8");
  const cmd = dockerfile.match(/^CMD\s+(\[.*\])\s*$/m);
  if (!cmd) throw new Error("Dockerfile has no CMD [...] line");
  expect(dockerfile).toMatch(/^COPY --from=build --chown=node:node \/app\/\.next\/standalone \.\/$/m);
  return JSON.parse(cmd[1]!) as string[];
}

const children: ChildProcess[] = [];
const servers: Server[] = [];
let fake: FakeResend;
let receiver: Receiver | undefined;
let folder: string;

function start(name: string, args: string[], env: Record<string, string>): ChildProcess {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = openSync(path.join(LOG_DIR, `${name}.log`), "w");
  // Only what the container would have: no repository around it, no dev dependencies.
  const child = spawn(process.execPath, args, {
    cwd: folder,
    env: { NODE_ENV: "production", PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", log, log],
  });
  children.push(child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * A few lines of node:http: each request goes to the next instance in turn, or to the one an
 * `x-instance` header names (0 or 1), so a test can choose where a request lands.
 */
async function roundRobinProxy(port: number, targets: number[]): Promise<Server> {
  let next = 0;
  const server = createServer((incoming, outgoing) => {
    const chosen = Number(incoming.headers["x-instance"] ?? NaN);
    const target = targets[Number.isInteger(chosen) ? chosen % targets.length : next++ % targets.length]!;
    const upstream = httpRequest(
      { host: "127.0.0.1", port: target, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on("error", () => outgoing.writeHead(502).end());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  servers.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

test.afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await fake?.close();
  await receiver?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test("two instances and two workers on one database: shared sessions and limits, 200 invitations through a provider outage, none lost or sent twice, their 200 webhooks delivered", async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  const serverUrl = new URL(process.env.E2E_DATABASE_URL!);
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/mc_deploy_${Date.now().toString(36)}`;
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  await query(admin.toString(), `create database ${databaseUrl.pathname.slice(1)}`);
  const db = databaseUrl.toString();

  try {
    // The image: the standalone build alone, in a folder outside the repository.
    folder = mkdtempSync(path.join(tmpdir(), "mc-image-"));
    cpSync(".next/standalone", folder, { recursive: true });
    fake = await startFakeResend({ behavior: "accept" });
    const [proxyPort, portA, portB] = [await freePort(), await freePort(), await freePort()];
    const appUrl = `http://127.0.0.1:${proxyPort}`;
    const env = {
      NODE_ENV: "production",
      DATABASE_URL: db,
      AUTH_SECRET: SECRET,
      AUTH_TRUST_HOST: "true",
      APP_URL: appUrl,
      RESEND_API_KEY: "re_deployment_test",
      RESEND_BASE_URL: fake.url,
      EMAIL_FROM: "Acme Console <console@acme.test>",
      // No sweeper in the instances: after an action that sends email, an instance delivers up to
      // 100 due messages, anyone's, once (lib/server/mailer.ts); the workers sweep and retry.
      OUTBOX_SWEEP_MS: "0",
      // Webhooks are the workers' alone, and reach loopback only (the test's receiver).
      WEBHOOK_SWEEP_MS: "0",
      WEBHOOK_ALLOW_LOOPBACK: "only",
    };

    // compose.yaml's order: migrations (compiled, as in the image), then the app and the workers.
    expect(await exited(start("migrate", ["dist/migrate.mjs"], env))).toBe(0);
    const seeded = openDatabase({ url: db });
    await seedDemoData(seeded.db);
    await seeded.close();

    const [command, ...args] = imageCommand();
    expect(command).toBe("node");
    start("app-a", args, { ...env, HOSTNAME: "127.0.0.1", PORT: String(portA) });
    start("app-b", args, { ...env, HOSTNAME: "127.0.0.1", PORT: String(portB) });
    const workers = [1, 2].map((n) =>
      start(`worker-${n}`, ["dist/worker.mjs"], { ...env, OUTBOX_SWEEP_MS: "300", WEBHOOK_SWEEP_MS: "300" }),
    );
    for (const port of [portA, portB]) {
      await expect
        .poll(async () => (await request.get(`http://127.0.0.1:${port}/api/ready`).catch(() => null))?.status(), { timeout: 60_000 })
        .toBe(200);
    }
    await roundRobinProxy(proxyPort, [portA, portB]);
    expect(await (await request.get(`${appUrl}/api/health`)).json()).toEqual({ status: "ok" });

    // Sign in as people do, at the address the proxy serves (its requests alternate between A and
    // B); the link arrives through the provider.
    await page.goto(`${appUrl}/sign-in`);
    await page.getByLabel("Email address").fill(INVITER);
    await page.getByRole("button", { name: "Send sign-in link" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await expect.poll(() => fake.requests.filter((r) => r.to.includes(INVITER) && r.status === 200).length).toBe(1);
    const link = fake.requests
      .find((r) => r.to.includes(INVITER))!
      .html.match(/href="([^"]*\/sign-in\/confirm\?[^"]*)"/)![1]!
      .replaceAll("&amp;", "&");
    expect(link.startsWith(`${appUrl}/`)).toBe(true);
    await page.goto(link);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/orgs/);

    // The session lives in the database: each instance, asked directly, knows it.
    const cookie = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");
    expect(cookie).toBeDefined();
    for (const port of [portA, portB]) {
      await page.goto(`http://127.0.0.1:${port}${PROJECT_PATH}`);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      expect(page.url()).toContain(PROJECT_PATH);
    }

    // 200 addresses in four batches, two on each instance at once, while the provider fails.
    fake.setBehavior("fail");
    const invitees = Array.from({ length: 200 }, (_, i) => `deploy-${i}@example.org`);
    const invite = async (instance: number, emails: string[]) => {
      const response = await request.post(`${appUrl}${PROJECT_PATH}`, {
        headers: {
          "x-instance": String(instance),
          "next-action": actionId("inviteUsersAction"),
          "content-type": "text/plain;charset=UTF-8",
          origin: appUrl,
          accept: "text/x-component",
          cookie: `authjs.session-token=${cookie!.value}`,
        },
        data: JSON.stringify([{ orgId: DEMO.orgId, projectId: DEMO.searchProdId, emails: emails.join("\n"), role: "read_only" }]),
        maxRedirects: 0,
      });
      expect(response.status()).toBe(200);
      const line = (await response.text()).split("\n").find((l) => l.startsWith("1:"));
      return JSON.parse(line!.slice(2)) as { ok: boolean; data?: { email: string; outcome: string }[] };
    };
    // An Owner adds a webhook endpoint for invitations, through the console's action on instance A.
    receiver = await startReceiver("/deployment-hook");
    const added = await request.post(`${appUrl}/orgs/${DEMO.orgId}/settings/webhooks`, {
      headers: {
        "x-instance": "0",
        "next-action": actionId("createWebhookEndpointAction"),
        "content-type": "text/plain;charset=UTF-8",
        origin: appUrl,
        accept: "text/x-component",
        cookie: `authjs.session-token=${cookie!.value}`,
      },
      data: JSON.stringify([{ orgId: DEMO.orgId, url: receiver.url, eventTypes: ["invitation.created"] }]),
      maxRedirects: 0,
    });
    expect(added.status()).toBe(200);
    const addedLine = (await added.text()).split("\n").find((l) => l.startsWith("1:"));
    const endpoint = JSON.parse(addedLine!.slice(2)) as { ok: boolean; data?: { secret: string } };
    expect(endpoint.ok).toBe(true);
    receiver.secrets.push(endpoint.data!.secret);

    const batches = await Promise.all([0, 1, 2, 3].map((b) => invite(b % 2, invitees.slice(b * 50, b * 50 + 50))));
    const outcomes = batches.flatMap((b) => (b.ok ? (b.data ?? []) : []));
    expect(
      outcomes
        .filter((o) => o.outcome === "invited")
        .map((o) => o.email)
        .sort(),
    ).toEqual([...invitees].sort());

    // The per-inviter email limit (200 an hour by default) is counted in the database: the 201st
    // address is refused whichever instance it reaches.
    const over = await invite(1, ["deploy-over@example.org"]);
    expect(over.data?.[0]).toMatchObject({ email: "deploy-over@example.org", outcome: "rate_limited" });

    // Every message was tried (right after its commit, or by a worker) and the provider refused it.
    await expect.poll(() => new Set(fake.requests.filter((r) => r.status === 500).map((r) => r.to[0])).size, { timeout: 60_000 }).toBe(200);
    fake.setBehavior("accept");
    // The outage is over: the retry time of every waiting message comes (the clock moves on).
    await query(db, "update email_outbox set next_attempt_at = now() where status = 'pending'");
    await expect
      .poll(
        async () =>
          (await query<{ n: number }>(db, "select count(*)::int as n from email_outbox where kind = 'invitation' and status <> 'sent'"))[0]!
            .n,
        { timeout: 90_000 },
      )
      .toBe(0);

    // Not one lost, not one sent twice: every invitee got exactly one accepted email, and no
    // message reached the provider twice (a replayed idempotency key would mean two senders).
    const accepted = fake.requests.filter((r) => r.status === 200 && r.to[0]!.startsWith("deploy-"));
    expect(accepted.map((r) => r.to[0]).sort()).toEqual([...invitees].sort());
    expect(fake.requests.filter((r) => r.replayed)).toEqual([]);

    // The invariants, read from the database.
    const pending = await query<{ n: number }>(
      db,
      "select count(*)::int as n from invitations where status = 'pending' and email like 'deploy-%'",
    );
    expect(pending[0]!.n).toBe(200);
    const adminless = await query(
      db,
      "select p.id from projects p where not exists (select 1 from project_memberships m where m.project_id = p.id and m.role = 'admin')",
    );
    expect(adminless).toEqual([]);
    const ownerless = await query(
      db,
      "select o.id from organizations o where not exists (select 1 from organization_memberships m where m.org_id = o.id and m.role = 'owner')",
    );
    expect(ownerless).toEqual([]);

    // Every invitation reached the receiver as a verified invitation.created event, none lost (at
    // least once: a repeat would carry the same webhook-id, so the ids are counted once each).
    await expect
      .poll(() => new Set(receiver!.received.filter((r) => r.payload.type === "invitation.created").map((r) => r.id)).size, {
        timeout: 90_000,
      })
      .toBe(200);
    expect(receiver.unverified).toEqual([]);
    const hooked = receiver.received
      .filter((r) => r.payload.type === "invitation.created")
      .map((r) => (r.payload as unknown as { data: { email: string } }).data.email);
    expect([...new Set(hooked)].sort()).toEqual([...invitees].sort());

    // SIGTERM drains the workers: they exit cleanly and leave no message claimed.
    for (const worker of workers) worker.kill("SIGTERM");
    const exitCodes = await Promise.all(workers.map(exited));
    expect(exitCodes).toEqual([0, 0]);
    expect(await query(db, "select id from email_outbox where status = 'sending'")).toEqual([]);
    expect(await query(db, "select id from webhook_deliveries where status = 'sending'")).toEqual([]);
    // The counts this run checked, for the record (all asserted above).
    const byInstance = [0, 1].map((i) => batches.filter((_, b) => b % 2 === i).flatMap((b) => b.data ?? []).length);
    console.log(
      `[deployment] 2 instances + 2 workers: ${outcomes.length} invited (${byInstance.join(" + ")} per instance), ` +
        `${fake.requests.filter((r) => r.status === 500).length} provider failures, ${accepted.length} emails accepted once each, ` +
        `${fake.requests.filter((r) => r.replayed).length} sent twice, ${receiver.received.length} webhooks verified (${new Set(hooked).size} invitees), ` +
        `${pending[0]!.n} pending rows, ${adminless.length + ownerless.length} invariant breaks, ` +
        `workers exited ${exitCodes.join(" and ")} on SIGTERM`,
    );
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.all(children.map(exited));
    await query(admin.toString(), `drop database if exists ${databaseUrl.pathname.slice(1)} with (force)`);
  }
});
