/**
 * `npm test`: every suite, with nothing to set up but Node and a Chromium.
 *
 *   tsx scripts/test.ts [all|unit|e2e] [-- extra arguments for vitest or playwright]
 *
 * It checks for a browser first, then uses the Postgres server named by TEST_DATABASE_URL,
 * DATABASE_URL or E2E_DATABASE_URL, or starts one embedded server for the whole run (see
 * test-postgres.ts), runs vitest (unit and integration, on PGlite and on the server, races
 * included) and Playwright against it, and stops the server at the end, also after a failure
 * or Ctrl-C.
 *
 * The two halves run at the same time, each line of their output marked with its half: each
 * leaves part of the 2 cores idle on its own (the browser tests wait on pages and mail, their last
 * specs run one at a time), and together they finish about a minute sooner. TEST_SEQUENTIAL=1
 * runs them one after the other, unmarked (a server with few connections to spare, or to read one
 * half's output alone).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import pg from "pg";
import { findChromium, NO_CHROMIUM_MESSAGE } from "../e2e/browser";
import { ensureTestServer, makeRunFolder, type TestServer } from "./test-postgres";

type Step = "unit" | "e2e";

const args = process.argv.slice(2);
const which = args[0] === "unit" || args[0] === "e2e" || args[0] === "all" ? args.shift() : "all";
const extra = args[0] === "--" ? args.slice(1) : args;
const steps: Step[] = which === "all" ? ["unit", "e2e"] : [which as Step];

let server: TestServer | undefined;
let runFolder: string | undefined;
const children = new Set<ChildProcess>();
let stopping = false;

async function shutdown(code: number): Promise<never> {
  stopping = true;
  await server?.stop();
  if (runFolder) rmSync(runFolder, { recursive: true, force: true });
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    console.error(`\n[test] ${signal}: stopping the test run and its database server`);
    for (const child of children) child.kill(signal);
    void shutdown(130);
  });
}

/** Copies a child's output line by line, each line marked with its half. */
function marked(from: Readable, to: Writable, mark: string) {
  createInterface({ input: from, crlfDelay: Infinity }).on("line", (line) => to.write(`${mark} ${line}\n`));
}

/** Runs a command to its end; with a mark, its output lines carry it (the halves run side by side). */
function run(command: string, commandArgs: string[], env: NodeJS.ProcessEnv, mark?: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { stdio: mark ? ["ignore", "pipe", "pipe"] : "inherit", env });
    children.add(child);
    if (mark) {
      marked(child.stdout!, process.stdout, mark);
      marked(child.stderr!, process.stderr, mark);
    }
    // "close", not "exit": the last lines of a piped output arrive after the process ended.
    child.on("close", (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
    child.on("error", (err) => {
      children.delete(child);
      console.error(`[test] could not run ${command}: ${err.message}`);
      resolve(1);
    });
  });
}

function describeServer(s: TestServer): string {
  const url = new URL(s.url);
  return s.embedded
    ? `embedded PostgreSQL started in ${s.startMs} ms on ${url.host}`
    : `the Postgres server at ${url.host} ` +
        `(named by ${process.env.TEST_DATABASE_URL ? "TEST_DATABASE_URL" : process.env.DATABASE_URL ? "DATABASE_URL" : "E2E_DATABASE_URL"})`;
}

const SERVER_LOG = "test-results/e2e-server.log";

/** The app's own output, kept out of a passing run, shown when an end-to-end test failed. */
function printServerLog() {
  if (!existsSync(SERVER_LOG)) return;
  const lines = readFileSync(SERVER_LOG, "utf8").trimEnd().split("\n");
  console.log(
    `\n[test] the app's log during the end-to-end tests (last ${Math.min(lines.length, 300)} of ${lines.length} lines, all in ${SERVER_LOG}):`,
  );
  console.log(lines.slice(-300).join("\n"));
}

async function dropDatabase(target: string) {
  const name = new URL(target).pathname.slice(1);
  if (!/^mc_e2e_[a-z0-9_]+$/.test(name)) return;
  const admin = new URL(target);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  try {
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
  } catch (err) {
    console.error(`[test] could not drop ${name}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main() {
  if (steps.includes("e2e") && !findChromium()) {
    console.error(NO_CHROMIUM_MESSAGE);
    process.exit(1);
  }
  try {
    server = await ensureTestServer();
  } catch (err) {
    console.error(`[test] ${(err as Error).message}`);
    process.exit(1);
  }
  console.log(`[test] ${describeServer(server)}`);

  runFolder = makeRunFolder();
  const together = steps.length > 1 && process.env.TEST_SEQUENTIAL !== "1";
  if (together)
    console.log("[test] unit and e2e run side by side; each line is marked with its half (TEST_SEQUENTIAL=1: one after the other)");
  let failed = 0;
  const runStep = async (step: Step) => {
    const code = await runHalf(step, server!, together ? `${step.padEnd(4)} │` : undefined);
    if (code !== 0) failed = code;
  };
  if (together) await Promise.all(steps.map(runStep));
  else for (const step of steps) if (!stopping) await runStep(step);
  await shutdown(failed);
}

async function runHalf(step: Step, testServer: TestServer, mark: string | undefined): Promise<number> {
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEST_DATABASE_URL: testServer.url,
    MC_TEST_RUN_DIR: runFolder,
    FORCE_COLOR: process.env.FORCE_COLOR ?? "1",
  };
  let code: number;
  if (step === "unit") {
    code = await run("npx", ["vitest", "run", ...extra], env, mark);
  } else {
    if (!env.E2E_DATABASE_URL) {
      const url = new URL(testServer.url);
      url.pathname = `/mc_e2e_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
      env.E2E_DATABASE_URL = url.toString();
    }
    // This script drops the database once the app is gone (no errors from a database
    // dropped under a running server); an embedded server is discarded whole.
    env.E2E_KEEP_DATABASE = "1";
    code = await run("npx", ["playwright", "test", ...extra], env, mark);
    if (code !== 0) printServerLog();
    if (!testServer.embedded) await dropDatabase(env.E2E_DATABASE_URL);
  }
  console.log(`[test] ${step}: ${code === 0 ? "passed" : "FAILED"} in ${Math.round((performance.now() - started) / 1000)} s`);
  return code;
}

void main();
