import { openDatabase, type Database } from "./client";
import { getEnv } from "@/lib/env";

/** Opens the app's database as the environment says: the server at DATABASE_URL, else PGlite. */
export function openDatabaseFromEnv(): Database {
  const env = getEnv();
  return openDatabase(
    env.DATABASE_URL ? { url: env.DATABASE_URL, nameStatements: env.DATABASE_NAMED_STATEMENTS === "1" } : { pgliteDir: env.PGLITE_DIR },
  );
}
