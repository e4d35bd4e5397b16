import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import { namingClient, statementNamer } from "./named-statements";
import * as schema from "./schema";

/** A database or a transaction: every query function takes one of these first. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** The server URL, for the Postgres server only. */
  url?: string;
  /** Runs raw SQL outside Drizzle (migration locks, test setup). */
  exec(sqlText: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** A postgres:// URL; without it an embedded PGlite database is used. */
  url?: string;
  /** PGlite data folder, or "memory://". */
  pgliteDir?: string;
  /** Pool size for the Postgres server. */
  max?: number;
  /** A PGlite data folder image (from `dumpDataDir`) to start from, e.g. an already migrated one. */
  loadDataDir?: Blob;
  /** Statements sent again and again are named, so each connection plans them once (`named-statements.ts`); false sends every statement unnamed. */
  nameStatements?: boolean;
}

/** Opens a database without running migrations. Nothing here runs at import time. */
export function openDatabase(options: OpenOptions): Database {
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.max ?? 10,
      ...(options.nameStatements === false ? {} : { Client: namingClient(statementNamer()) }),
    });
    // An idle client that loses its connection must not crash the process.
    pool.on("error", (err) => console.error("[db] idle client error", err.message));
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: "postgres",
      url: options.url,
      exec: async (sqlText) => {
        await pool.query(sqlText);
      },
      close: () => pool.end(),
    };
  }
  const dir = options.pgliteDir ?? "memory://";
  if (!dir.startsWith("memory://")) mkdirSync(path.resolve(/* turbopackIgnore: true */ dir), { recursive: true });
  const client = new PGlite(dir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : undefined);
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    exec: async (sqlText) => {
      await client.exec(sqlText);
    },
    close: () => client.close(),
  };
}

export const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db/migrations");
