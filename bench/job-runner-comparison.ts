/**
 * Our job runner (the outbox generalized: a job row per delivery, claimed FOR UPDATE SKIP LOCKED
 * with a lease) against pg-boss 10, doing the same work per job: look up the event and the
 * endpoint, open the sealed secret, sign with `standardwebhooks`, POST to a receiver on loopback
 * that verifies every signature, record the outcome.
 *   DATABASE_URL=postgres://... npx tsx --conditions=react-server bench/job-runner-comparison.ts
 * (a fresh database on the server, dropped after). BENCH_N (2000) jobs per round, BENCH_ROUNDS (5)
 * alternating rounds per contender, 4 workers each; p50 of the rounds is printed.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/node-postgres";
import { eq, inArray } from "drizzle-orm";
import pg from "pg";
import PgBoss from "pg-boss";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import * as schema from "@/db/schema";
import { webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import type { Db } from "@/db/client";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { deliveryRow, eventPayload, newEventId } from "@/lib/webhooks/enqueue-events";
import { postWebhook } from "@/lib/webhooks/post-webhook";
import { openWebhookSecret, signWebhook } from "@/lib/webhooks/signing";
import { quantile } from "./app-harness";
import { createScratchDatabase, seedBenchEndpoint, serverUrl } from "./scratch-database";
import { startReceiver, type Receiver } from "@/tests/webhooks/receiver";

const N = Number(process.env.BENCH_N ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WORKERS = 4;
const BATCH = 50; // our runner's claim limit, and pg-boss's batchSize
const POLLING_SECONDS = 0.5; // pg-boss's minimum polling interval (its default is 2 s)
const QUEUE = "webhook-delivery";

type Contender = "ours" | "pg-boss work()" | "pg-boss fetch loop";

// pg-boss adapter: begin (the code a pg-boss integration would add, counted below as an estimate)
/** pg-boss emits pool errors as events; the bench's own drop of the database (57P01) is not one to report. */
function newBoss(url: string, options: Partial<PgBoss.ConstructorOptions> = {}): PgBoss {
  const boss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false, ...options });
  boss.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") console.error("[pg-boss]", err.message);
  });
  return boss;
}

interface DeliveryJob {
  eventId: string;
  endpointId: string;
}

/** pg-boss's `db` option on the application's own transaction: the job commits or rolls back with the change. */
const onTransaction = (client: pg.PoolClient): PgBoss.Db => ({
  executeSql: (text, values) => client.query(text, values),
});

/** One batch of jobs as our runner handles its claim: two lookups, then every POST at once, each outcome recorded on its job. */
async function deliverJobs(boss: PgBoss, db: Db, jobs: PgBoss.Job<DeliveryJob>[]): Promise<void> {
  const events = await db
    .select({ id: webhookEvents.id, payload: webhookEvents.payload })
    .from(webhookEvents)
    .where(inArray(webhookEvents.id, [...new Set(jobs.map((j) => j.data.eventId))]));
  const endpoints = await db
    .select()
    .from(webhookEndpoints)
    .where(inArray(webhookEndpoints.id, [...new Set(jobs.map((j) => j.data.endpointId))]));
  await Promise.all(
    jobs.map(async (job) => {
      const event = events.find((e) => e.id === job.data.eventId);
      const endpoint = endpoints.find((e) => e.id === job.data.endpointId);
      if (!event || !endpoint) return boss.complete(QUEUE, job.id, { skipped: true });
      const body = JSON.stringify(event.payload);
      const headers = signWebhook([openWebhookSecret(endpoint.secretSealed, endpoint.id)], event.id, new Date(), body);
      const outcome = await postWebhook(endpoint.url, headers, body, { allowLoopback: true });
      const ok = outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300;
      const output = { responseCode: outcome.kind === "answered" ? outcome.status : null, durationMs: outcome.durationMs };
      // Retries with backoff are pg-boss's (retryLimit / retryBackoff on send).
      return ok ? boss.complete(QUEUE, job.id, output) : boss.fail(QUEUE, job.id, output);
    }),
  );
}
/**
 * pg-boss on PGlite (`npm run dev` without DATABASE_URL): no second connection, so pg-boss gets
 * the one PGlite instance through its `db` option; its schema migration sends several statements
 * at once, which only PGlite's exec (simple protocol) takes.
 */
const onPglite = (pglite: PGlite | Transaction): PgBoss.Db => ({
  executeSql: async (text, values) =>
    values?.length ? pglite.query(text, values) : { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] },
});
// pg-boss adapter: end

/** pg-boss started on an in-process PGlite, a job sent in a committed and in a rolled-back transaction, and worked. */
async function pgBossOnPglite(): Promise<string> {
  const pglite = await PGlite.create();
  const boss = new PgBoss({ db: onPglite(pglite), supervise: false, schedule: false });
  try {
    await boss.start();
    await boss.createQueue(QUEUE);
    await pglite.exec("create table change (id int)");
    for (const rollback of [false, true]) {
      await pglite
        .transaction(async (tx) => {
          await tx.query("insert into change values (1)");
          await boss.send(QUEUE, { rollback }, { db: onPglite(tx) });
          if (rollback) throw new Error("rolled back");
        })
        .catch(() => undefined);
    }
    const queued = (await pglite.query<{ data: { rollback: boolean } }>("select data from pgboss.job")).rows;
    if (queued.length !== 1 || queued[0]!.data.rollback)
      throw new Error(`PGlite: expected the committed job only, got ${JSON.stringify(queued)}`);
    const worked = new Promise<void>(
      (resolve) => void boss.work(QUEUE, { pollingIntervalSeconds: POLLING_SECONDS }, async () => resolve()),
    );
    await worked;
    return "pg-boss on PGlite (in-process, through its db option): started, the committed job worked, the rolled-back one absent";
  } finally {
    await boss.stop({ graceful: true, wait: true });
    await pglite.close();
  }
}

interface Setup {
  url: string;
  database: { db: Db; close(): Promise<void> };
  pool: pg.Pool;
  receiver: Receiver;
  orgId: string;
  endpointId: string;
  boss: PgBoss;
}

/** One application transaction: the change (the event row), then the job, timed on its own. */
async function changeWithJob(s: Setup, contender: Contender, rollback = false): Promise<{ eventId: string; enqueueMs: number }> {
  const client = await s.pool.connect();
  try {
    const tx = drizzle(client, { schema }) as unknown as Db;
    const eventId = newEventId();
    const now = new Date();
    await client.query("begin");
    await tx.insert(webhookEvents).values({
      id: eventId,
      orgId: s.orgId,
      type: "member.removed",
      payload: eventPayload(eventId, "member.removed", s.orgId, now, {}) as never,
    });
    const started = performance.now();
    if (contender === "ours") await tx.insert(webhookDeliveries).values(deliveryRow(s.endpointId, eventId, now));
    else await s.boss.send(QUEUE, { eventId, endpointId: s.endpointId } satisfies DeliveryJob, { db: onTransaction(client) });
    const enqueueMs = performance.now() - started;
    await client.query(rollback ? "rollback" : "commit");
    return { eventId, enqueueMs };
  } catch (err) {
    await client.query("rollback");
    throw err;
  } finally {
    client.release();
  }
}

async function jobsFor(s: Setup, eventId: string): Promise<{ ours: number; pgBoss: number }> {
  const ours = await s.database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
  const { rows } = await s.pool.query("select count(*)::int as n from pgboss.job where data->>'eventId' = $1", [eventId]);
  return { ours: ours.length, pgBoss: (rows[0] as { n: number }).n };
}

/** Enqueues N jobs (one transaction each), then drains them with 4 workers; jobs/s and enqueue ms per job. */
async function round(s: Setup, contender: Contender): Promise<{ jobsPerSecond: number; enqueueMs: number[] }> {
  s.receiver.received.length = 0;
  const enqueueMs: number[] = [];
  for (let i = 0; i < N; i++) enqueueMs.push((await changeWithJob(s, contender)).enqueueMs);
  // 4 workers, as 4 worker processes would be, each with its own pool of 2, connected before the clock starts.
  const workers = Array.from({ length: WORKERS }, () => ({
    db: openDatabase({ url: s.url, max: 2 }),
    boss: contender === "ours" ? null : newBoss(s.url, { migrate: false }),
  }));
  let seconds = 0;
  try {
    await Promise.all(workers.map((w) => Promise.all([w.db.db.execute("select 1"), w.boss?.start()])));
    const started = performance.now();
    if (contender === "ours") {
      await Promise.all(
        workers.map(async (w) => {
          while ((await deliverDueWebhooks(w.db.db, { allowLoopback: true, limit: BATCH })).claimed > 0);
        }),
      );
    } else if (contender === "pg-boss work()") {
      for (const w of workers) {
        const boss = w.boss!;
        await boss.work<DeliveryJob>(QUEUE, { batchSize: BATCH, pollingIntervalSeconds: POLLING_SECONDS }, (jobs) =>
          deliverJobs(boss, w.db.db, jobs),
        );
      }
      await s.receiver.waitFor(N);
    } else {
      await Promise.all(
        workers.map(async (w) => {
          for (;;) {
            const jobs = await w.boss!.fetch<DeliveryJob>(QUEUE, { batchSize: BATCH });
            if (jobs.length === 0) return;
            await deliverJobs(w.boss!, w.db.db, jobs);
          }
        }),
      );
    }
    // Every job recorded as completed before the clock stops, as ours are.
    const pending = async (): Promise<number> =>
      contender === "ours"
        ? (await s.pool.query("select count(*)::int as n from webhook_deliveries where status <> 'delivered'")).rows[0].n
        : (await s.pool.query("select count(*)::int as n from pgboss.job where name = $1 and state <> 'completed'", [QUEUE])).rows[0].n;
    while ((await pending()) > 0) await new Promise((r) => setTimeout(r, 5));
    seconds = (performance.now() - started) / 1000;
  } finally {
    await Promise.all(workers.map((w) => w.boss?.stop({ graceful: true, close: true, wait: true })));
    await Promise.all(workers.map((w) => w.db.close()));
  }
  const ids = s.receiver.received.map((r) => r.id);
  if (ids.length !== N || s.receiver.unverified.length > 0 || new Set(ids).size !== N) {
    throw new Error(`${contender}: expected ${N} verified deliveries, once each; got ${ids.length} (${new Set(ids).size} distinct)`);
  }
  // Next round starts from empty queues.
  await s.pool.query("delete from webhook_deliveries; delete from webhook_events; delete from pgboss.job; delete from pgboss.archive");
  return { jobsPerSecond: N / seconds, enqueueMs };
}

/** Non-blank, non-comment lines. */
function codeLines(text: string): number {
  return text.split("\n").filter((l) => {
    const t = l.trim();
    return t !== "" && !t.startsWith("//") && !t.startsWith("/*") && !t.startsWith("*");
  }).length;
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from + start.length);
  if (from < 0 || to < 0) throw new Error(`no ${start} … ${end}`);
  return text.slice(from, to);
}

function linesOfCode(): string {
  const jobs = ["background-jobs", "backoff", "kinds", "runner"].map((f) => codeLines(readFileSync(`lib/jobs/${f}.ts`, "utf8")));
  const deliver = readFileSync("lib/webhooks/deliver-webhooks.ts", "utf8");
  // The claim and lease (claimDeliveries, LOCK_MS) and the recording of an outcome (record): the job-queue part of the file.
  const queuePart =
    codeLines(between(deliver, "async function claimDeliveries", "async function record")) +
    codeLines(between(deliver, "async function record", "async function markRecovered")) +
    codeLines(between(deliver, "const LOCK_MS", "const DEFAULT_LIMIT"));
  const self = readFileSync("bench/job-runner-comparison.ts", "utf8");
  const adapter = codeLines(between(self, "// pg-boss adapter: begin", "// pg-boss adapter: end"));
  const ownTotal = jobs.reduce((a, b) => a + b, 0) + queuePart;
  return (
    `lines of our own code (non-blank, non-comment): lib/jobs/*.ts ${jobs.join(" + ")} = ${jobs.reduce((a, b) => a + b, 0)}, ` +
    `claim/lease/record of deliver-webhooks.ts ${queuePart}; total ${ownTotal}. ` +
    `pg-boss adapter in this bench: ${adapter} lines (estimate of a pg-boss integration for webhooks alone; ` +
    `it would still need lib/jobs/runner.ts's kinds for email, pruning and re-checks, or their move to pg-boss, ` +
    `and a start/stop of PgBoss in the app and the worker)`
  );
}

async function main(): Promise<void> {
  const scratch = await createScratchDatabase(
    serverUrl("Set DATABASE_URL to a Postgres server: several workers need one"),
    "mc_bench_jobs",
  );
  const database = openDatabase({ url: scratch.url, max: 2 });
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  const receiver = await startReceiver();
  const boss = newBoss(scratch.url);
  try {
    await migrateDatabase(database);
    await boss.start();
    await boss.createQueue(QUEUE);
    const { orgId, endpointId } = await seedBenchEndpoint(database.db, receiver);
    const s: Setup = { url: scratch.url, database, pool, receiver, orgId, endpointId, boss };

    for (const contender of ["ours", "pg-boss work()"] as const) {
      const { eventId } = await changeWithJob(s, contender, true);
      const left = await jobsFor(s, eventId);
      const n = contender === "ours" ? left.ours : left.pgBoss;
      if (n !== 0) throw new Error(`${contender}: a rolled-back transaction left ${n} job(s)`);
      console.log(`${contender === "ours" ? "ours" : "pg-boss"}: a rolled-back transaction leaves no job (0 rows)`);
    }
    const { eventId } = await changeWithJob(s, "pg-boss work()");
    if ((await jobsFor(s, eventId)).pgBoss !== 1) throw new Error("pg-boss: the committed job is missing");
    await pool.query("delete from pgboss.job; delete from webhook_events");

    const contenders: Contender[] = ["ours", "pg-boss work()", "pg-boss fetch loop"];
    const results = new Map<Contender, { jobsPerSecond: number[]; enqueueMs: number[] }>(
      contenders.map((c) => [c, { jobsPerSecond: [], enqueueMs: [] }]),
    );
    for (let r = 0; r < ROUNDS; r++) {
      for (const c of r % 2 === 0 ? contenders : [...contenders].reverse()) {
        const { jobsPerSecond, enqueueMs } = await round(s, c);
        results.get(c)!.jobsPerSecond.push(jobsPerSecond);
        results.get(c)!.enqueueMs.push(...enqueueMs);
        console.log(`  round ${r + 1} ${c}: ${Math.round(jobsPerSecond)} jobs/s`);
      }
    }
    console.log(
      `${N} webhook deliveries per round (sign + POST on loopback + verify + outcome recorded), ${WORKERS} workers, batch ${BATCH}, ` +
        `${ROUNDS} alternating rounds; PostgreSQL on this shared 2-core machine:`,
    );
    for (const c of contenders) {
      const r = results.get(c)!;
      const note =
        c === "ours"
          ? "4 runners, each deliverDueWebhooks in a loop until nothing is due"
          : c === "pg-boss work()"
            ? `4 PgBoss instances, work() batchSize ${BATCH}, pollingIntervalSeconds ${POLLING_SECONDS}`
            : `4 PgBoss instances, fetch() batchSize ${BATCH} in a loop until empty`;
      console.log(
        `  ${c}: p50 ${Math.round(quantile(r.jobsPerSecond, 0.5))} jobs/s (rounds ${r.jobsPerSecond.map(Math.round).join(", ")}); ` +
          `enqueue in the transaction p50 ${quantile(r.enqueueMs, 0.5).toFixed(2)} ms, p95 ${quantile(r.enqueueMs, 0.95).toFixed(2)} ms per job [${note}]`,
      );
    }
    console.log(linesOfCode());
    console.log(await pgBossOnPglite());
  } finally {
    await boss.stop({ graceful: false, close: true, wait: true }).catch(() => undefined);
    await receiver.close();
    await pool.end();
    await database.close();
    await scratch.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
