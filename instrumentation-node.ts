import { getEnv } from "@/lib/env";
import { getDatabase, prepareDatabase } from "@/lib/server/database";
import { startOutboxSweeper } from "@/lib/server/mailer";

/** Validates the environment, migrates (and seeds a fresh embedded database), starts the outbox sweeper. */
export async function startServer(): Promise<void> {
  getEnv();
  await prepareDatabase();
  startOutboxSweeper(getDatabase().db);
}
