import "server-only";
import type { Database, Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { openDatabaseFromEnv } from "@/db/open-from-env";
import { isEmpty, seedDemoData } from "@/db/seed";
import { getEnv } from "@/lib/env";

// Kept on globalThis: dev-server reloads re-evaluate modules, and two PGlite instances on one
// folder would corrupt it.
const store = globalThis as unknown as { __membershipDb?: Database; __membershipReady?: Promise<void> };

/** The app's database, opened on first use (never at import, so `next build` opens nothing). */
export function getDatabase(): Database {
  store.__membershipDb ??= openDatabaseFromEnv();
  return store.__membershipDb;
}

export function getDb(): Db {
  return getDatabase().db;
}

/** Applies migrations, and loads the demo data into a fresh embedded database. Runs once. */
export function prepareDatabase(): Promise<void> {
  store.__membershipReady ??= (async () => {
    const database = getDatabase();
    await migrateDatabase(database);
    if (database.kind === "pglite" && getEnv().SEED_DEMO_DATA === "auto" && (await isEmpty(database.db))) {
      await seedDemoData(database.db);
      console.log("[db] fresh embedded database: demo data loaded (Acme Vector)");
    }
  })();
  return store.__membershipReady;
}
