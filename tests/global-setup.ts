/**
 * Once per vitest run, before any test file: a Postgres server (the named one, or an embedded
 * one started here when vitest is run without `npm test`), and the migrated starting points that
 * every test database is copied from, so no test file pays for the migrations again:
 * - a template database on the server (`create database … template …` per test file);
 * - a PGlite data folder image (each in-memory PGlite starts from it).
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { ensureTestServer, makeRunFolder, removeOrphans } from "@/scripts/test-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the test server's `postgres` database. */
    testServerUrl: string;
    /** A migrated database on that server to copy from. */
    templateDatabase: string;
    /** A migrated PGlite data folder image (tar file). */
    pgliteImage: string;
  }
}

async function adminQuery(url: string, sqlText: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const server = await ensureTestServer();
  if (server.embedded) console.log(`[tests] embedded PostgreSQL started in ${server.startMs} ms`);
  project.provide("testServerUrl", server.url);
  // A run of files that open no database (tests/infra/embedded-postgres.test.ts's exit-code
  // fixture) says so and skips the migrations below: nothing would be copied from them.
  if (process.env.MC_TEST_NO_DATABASE === "1") return () => server.stop();

  const template = `mc_template_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  try {
    await adminQuery(server.url, `create database ${template}`);
  } catch (err) {
    await server.stop();
    throw new Error(`The integration tests need a Postgres server and ${new URL(server.url).host} refused: ${(err as Error).message}`);
  }
  const templateUrl = new URL(server.url);
  templateUrl.pathname = `/${template}`;
  const onServer = openDatabase({ url: templateUrl.toString(), max: 1 });
  await migrateDatabase(onServer);
  await onServer.close();

  // `npm test` hands over a folder it removes itself, also on Ctrl-C; run directly, vitest makes one.
  removeOrphans();
  const given = process.env.MC_TEST_RUN_DIR;
  const folder = given ?? makeRunFolder();
  const image = path.join(folder, "migrated.tar");
  const embedded = openDatabase({ pgliteDir: "memory://" });
  await migrateDatabase(embedded);
  const client = (embedded.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir("none");
  writeFileSync(image, Buffer.from(await dump.arrayBuffer()));
  await embedded.close();

  project.provide("templateDatabase", template);
  project.provide("pgliteImage", image);

  return async () => {
    rmSync(given ? image : folder, { recursive: true, force: true });
    await adminQuery(server.url, `drop database if exists ${template} with (force)`).catch(() => undefined);
    await server.stop();
  };
}
