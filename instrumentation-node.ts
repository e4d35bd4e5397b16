import { getEnv } from "@/lib/env";
import { getDatabase, prepareDatabase } from "@/lib/server/database";
import { startBackgroundJobs } from "@/lib/server/jobs";

/** Validates the environment, migrates (and seeds a fresh embedded database), starts the job runner (outbox, webhooks, domain re-checks, pruning). */
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
  startBackgroundJobs(getDatabase().db);
}
