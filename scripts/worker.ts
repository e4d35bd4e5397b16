/**
 * Outbox worker (`npm run worker`): delivers due emails and re-checks the DNS records of due
 * domains until SIGTERM or SIGINT. Run it next to (or instead of) the app's own sweeper and
 * re-check; several workers may run at once on the Postgres server.
 */
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { startSweeper } from "@/lib/email/sweeper";
import { createTransportFromEnv } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { startDomainRechecker } from "@/lib/membership/domains/domain-rechecker";

// OUTBOX_SWEEP_MS=0 can switch the app's in-process sweeper off; a worker exists to sweep.
const FALLBACK_INTERVAL_MS = 5_000;
// DOMAIN_RECHECK_MS=0 likewise switches the app's own domain re-check off, not the worker's.
const DOMAIN_FALLBACK_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  const env = getEnv();
  if (env.DATABASE_URL && !env.AUTH_SECRET) {
    // Links in the outbox are sealed with the app's AUTH_SECRET; a worker without the same secret
    // could not open any of them.
    throw new Error("The worker needs the app's AUTH_SECRET to open the sealed links in the outbox");
  }
  const database = openDatabase({ url: env.DATABASE_URL, pgliteDir: env.PGLITE_DIR });
  if (database.kind === "pglite") {
    // PGlite takes no lock across processes: two processes on one folder corrupt it.
    console.warn(`[worker] using PGlite at ${env.PGLITE_DIR}; do not run the app on the same folder at the same time`);
  }
  await migrateDatabase(database);
  const transport = createTransportFromEnv(database.db);
  const intervalMs = env.OUTBOX_SWEEP_MS || FALLBACK_INTERVAL_MS;
  const sweeper = startSweeper(database.db, transport, {
    intervalMs,
    onPass: (r) => {
      if (r.claimed > 0) console.log(`[worker] claimed ${r.claimed}: sent ${r.sent}, retrying ${r.retrying}, failed ${r.failed}`);
    },
  });
  const domainIntervalMs = env.DOMAIN_RECHECK_MS || DOMAIN_FALLBACK_INTERVAL_MS;
  const rechecker = startDomainRechecker(database.db, {
    intervalMs: domainIntervalMs,
    onPass: (r) => {
      if (r.checked > 0) console.log(`[worker] checked ${r.checked} domains: ${r.verified} verified, ${r.failed} failed`);
    },
  });
  console.log(`[worker] delivering through ${transport.name} every ${intervalMs} ms (${database.kind})`);
  console.log(`[worker] re-checking due domains every ${domainIntervalMs} ms`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[worker] ${signal}: finishing the current sweep`);
    Promise.all([sweeper.stop(), rechecker.stop()])
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
