/**
 * Background worker (`npm run worker`): the job runner with every kind of background work (the
 * email outbox, webhook deliveries, domain re-checks, pruning) until SIGTERM or SIGINT. Run it
 * next to (or instead of) the app's own runner; several workers may run at once on the Postgres server.
 */
import { openDatabaseFromEnv } from "@/db/open-from-env";
import { migrateDatabase } from "@/db/migrate";
import { createTransportFromEnv } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { backgroundJobs } from "@/lib/jobs/background-jobs";
import { startJobRunner } from "@/lib/jobs/runner";

// OUTBOX_SWEEP_MS=0 (and the others) switch a kind off in the app's process; a worker exists to run them.
const FALLBACK_INTERVAL_MS = 5_000;
const DOMAIN_FALLBACK_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  const env = getEnv();
  if (env.DATABASE_URL && !env.AUTH_SECRET) {
    // Links in the outbox and webhook secrets are sealed with the app's AUTH_SECRET; a worker
    // without the same secret could not open any of them.
    throw new Error("The worker needs the app's AUTH_SECRET to open the sealed links in the outbox");
  }
  const database = openDatabaseFromEnv();
  if (database.kind === "pglite") {
    // PGlite takes no lock across processes: two processes on one folder corrupt it.
    console.warn(`[worker] using PGlite at ${env.PGLITE_DIR}; do not run the app on the same folder at the same time`);
  }
  await migrateDatabase(database);
  const transport = createTransportFromEnv(database.db);
  const intervals = {
    emailMs: env.OUTBOX_SWEEP_MS || FALLBACK_INTERVAL_MS,
    webhooksMs: env.WEBHOOK_SWEEP_MS || FALLBACK_INTERVAL_MS,
    domainsMs: env.DOMAIN_RECHECK_MS || DOMAIN_FALLBACK_INTERVAL_MS,
    pruneMs: 10 * 60_000,
  };
  const runner = startJobRunner(backgroundJobs(database.db, transport, intervals, (line) => console.log(`[worker] ${line}`)));
  console.log(`[worker] delivering email through ${transport.name} every ${intervals.emailMs} ms (${database.kind})`);
  console.log(`[worker] webhooks every ${intervals.webhooksMs} ms, due domains every ${intervals.domainsMs} ms, pruning every 10 minutes`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing the current runs`);
    runner
      .stop()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          console.error(`[worker] shutdown failed: ${errorText(err, { stack: true })}`);
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  console.error(`[worker] could not start: ${errorText(err, { stack: true })}`);
  process.exit(1);
});
