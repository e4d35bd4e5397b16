import { getEnv } from "@/lib/env";
import { getDatabase, prepareDatabase } from "@/lib/server/database";
import { startDomainRechecks } from "@/lib/server/domain-rechecks";
import { startOutboxSweeper } from "@/lib/server/mailer";

/** Validates the environment, migrates (and seeds a fresh embedded database), starts the outbox sweeper and the domain re-checks. */
export async function startServer(): Promise<void> {
  try {
    getEnv();
  } catch (err) {
    // Serving with a bad environment would answer every request with 500: stop before listening,
    // with every problem listed.
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
  await prepareDatabase();
  startOutboxSweeper(getDatabase().db);
  startDomainRechecks(getDatabase().db);
}
