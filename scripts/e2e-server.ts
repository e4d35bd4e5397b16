/**
 * Starts the app for the end-to-end tests: a fresh database on the Postgres server (migrated and
 * seeded with the demo data), a production build (rebuilt when sources are newer), started as the container image starts it
 * (`npm start`: the standalone server).
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "@/db/seed";

const url = process.env.E2E_DATABASE_URL;
// The app's output goes to a file: scripts/test.ts prints it when a test fails.
const LOG_FILE = "test-results/e2e-server.log";
mkdirSync(path.dirname(LOG_FILE), { recursive: true });
const log = openSync(LOG_FILE, "w");
if (!url) throw new Error("E2E_DATABASE_URL is not set (playwright.config.ts sets it)");

async function freshDatabase(target: string) {
  const name = new URL(target).pathname.slice(1);
  const admin = new URL(target);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
  } catch (err) {
    console.error(
      `The end-to-end tests need a Postgres server (${admin.host}): run \`npm run test:e2e\`, which starts one, or set E2E_DATABASE_URL.`,
    );
    throw err;
  }
  await client.query(`drop database if exists ${name} with (force)`);
  await client.query(`create database ${name}`);
  await client.end();
  const database = openDatabase({ url: target });
  await migrateDatabase(database);
  await seedDemoData(database.db);
  await database.close();
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale() {
  const buildId = ".next/BUILD_ID";
  const files = [
    "package.json",
    "proxy.ts",
    "next.config.ts",
    "instrumentation.ts",
    "instrumentation-node.ts",
    "scripts/worker.ts",
    "scripts/migrate.ts",
    "scripts/build-standalone.mjs",
  ];
  const sources = Math.max(
    ...["app", "lib", "components", "db", "public"].filter(existsSync).map(newestSource),
    ...files.filter(existsSync).map((f) => statSync(f).mtimeMs),
  );
  const complete = existsSync(".next/standalone/dist/worker.mjs");
  if (complete && existsSync(buildId) && statSync(buildId).mtimeMs > sources) return;
  console.error("[e2e] building the app (sources changed since the last build)");
  const result = spawnSync("npm", ["run", "build"], { stdio: ["ignore", log, log], env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) {
    console.error(readFileSync(LOG_FILE, "utf8"));
    process.exit(result.status ?? 1);
  }
}

await freshDatabase(url);
buildIfStale();
// Loopback only: this build serves the local mailbox, which must not be reachable from the network.
const server = spawn(process.execPath, ["scripts/start.mjs"], {
  stdio: ["ignore", log, log],
  env: { ...process.env, DATABASE_URL: url, HOST: "127.0.0.1", PORT: process.env.E2E_PORT ?? "3100" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
