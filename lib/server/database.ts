import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
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

/**
 * AUTH_SECRET from the environment; in development a generated one is kept under .data/ so
 * sessions survive restarts. Production without one is refused by env validation.
 */
export function getAuthSecret(): string {
  const env = getEnv();
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    throw new Error("AUTH_SECRET is required in production");
  }
  const file = path.join(/* turbopackIgnore: true */ process.cwd(), ".data/auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
