import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database, type DatabaseKind } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";

/** The server URL integration tests may use, if any (CI sets one). */
export function serverUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** PGlite always; the Postgres server too when a URL names one. */
export function testTargets(): DatabaseKind[] {
  return serverUrl() ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDatabase extends Database {
  /** Opens another independent pool on the same database (server only). */
  connectAgain(max?: number): Database;
}

/**
 * A fresh, migrated database of the given kind: an in-memory PGlite, or a new database on the
 * server named after a random suffix, dropped again by close(), so runs never collide.
 */
export async function createTestDatabase(kind: DatabaseKind, options: { max?: number } = {}): Promise<TestDatabase> {
  if (kind === "pglite") {
    const database = openDatabase({ pgliteDir: "memory://" });
    await migrateDatabase(database);
    return { ...database, connectAgain: () => { throw new Error("PGlite has a single connection"); } };
  }
  const base = serverUrl();
  if (!base) throw new Error("No Postgres server URL (TEST_DATABASE_URL or DATABASE_URL)");
  const name = `mc_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openDatabase({ url: url.toString(), max: options.max ?? 10 });
  await migrateDatabase(database);
  const others: Database[] = [];
  return {
    ...database,
    connectAgain: (max = 10) => {
      const other = openDatabase({ url: url.toString(), max });
      others.push(other);
      return other;
    },
    close: async () => {
      await Promise.all(others.map((o) => o.close()));
      await database.close();
      const dropper = new pg.Client({ connectionString: base });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
