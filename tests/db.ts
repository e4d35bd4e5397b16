import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, inject } from "vitest";
import { openDatabase, type Database, type DatabaseKind, type Db } from "@/db/client";

/**
 * Every integration suite runs on both: PGlite (what `npm run dev` uses) and a Postgres server
 * (the named one, or the embedded one that tests/global-setup.ts starts), races included.
 */
export function testTargets(): DatabaseKind[] {
  // TEST_TARGETS=postgres runs only the server half (CI's pass against the machine's server by URL).
  const chosen = (process.env.TEST_TARGETS ?? "pglite,postgres").split(",").map((k) => k.trim());
  const kinds = (["pglite", "postgres"] as const).filter((k) => chosen.includes(k));
  if (kinds.length === 0) throw new Error(`TEST_TARGETS names no database kind (pglite, postgres): ${process.env.TEST_TARGETS}`);
  return kinds;
}

export interface TestDatabase extends Database {
  /** Opens another independent pool on the same database (server only). */
  connectAgain(max?: number): Database;
}

let pgliteImage: Blob | undefined;

/**
 * A fresh, migrated database of the given kind: an in-memory PGlite started from the migrated
 * image, or a new database on the server copied from the migrated template and dropped again by
 * close(), so runs never collide.
 */
export async function createTestDatabase(kind: DatabaseKind, options: { max?: number } = {}): Promise<TestDatabase> {
  if (kind === "pglite") {
    pgliteImage ??= new Blob([readFileSync(inject("pgliteImage"))]);
    const database = openDatabase({ pgliteDir: "memory://", loadDataDir: pgliteImage });
    return {
      ...database,
      connectAgain: () => {
        throw new Error("PGlite has a single connection");
      },
    };
  }
  const base = inject("testServerUrl");
  const name = `mc_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name} template ${inject("templateDatabase")}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = openDatabase({ url: url.toString(), max: options.max ?? 10 });
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

/**
 * The database of a describe block: created (createTestDatabase) before its first test and closed
 * after its last. Read it inside hooks and tests only: `database.db`, `database.connectAgain()`.
 */
export function useTestDatabase(kind: DatabaseKind, options: { max?: number } = {}): TestDatabase {
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    opened = await createTestDatabase(kind, options);
  });
  afterAll(async () => {
    await opened?.close();
  });
  const current = (): TestDatabase => {
    if (!opened) throw new Error("the test database is opened in beforeAll: use it inside hooks and tests");
    return opened;
  };
  return {
    get db(): Db {
      return current().db;
    },
    get kind() {
      return kind;
    },
    get url() {
      return current().url;
    },
    exec: (sqlText) => current().exec(sqlText),
    close: () => current().close(),
    connectAgain: (max) => current().connectAgain(max),
  };
}

/**
 * How many sessions of this database wait for a lock (server only), only those whose statement is
 * like `pattern` (ILIKE) when one is given: how a race test knows a transaction is held up.
 */
export async function lockWaiters(db: Db, pattern?: string): Promise<number> {
  const result = (await db.execute(
    sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
        and (${pattern ?? null}::text is null or query ilike ${pattern ?? null})`,
  )) as unknown as { rows: { n: number }[] };
  return result.rows[0]!.n;
}

/** Until `ready()` holds, asking again every 10 ms (a condition to wait for, not a pause). */
export async function until(db: Db, ready: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ready())) await db.execute(sql`select pg_sleep(0.01)`);
}
