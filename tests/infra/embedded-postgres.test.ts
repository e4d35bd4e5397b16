import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { NO_CHROMIUM_MESSAGE } from "@/e2e/browser";
import { leftoverFolders, namedServerUrl, removeOrphans, startEmbeddedServer } from "@/scripts/test-postgres";

/**
 * The zero-setup test server (scripts/test-postgres.ts): it really serves, and nothing outlives a
 * run: not after a normal stop, not after Ctrl-C on `npm test`, and a run killed outright is
 * cleaned up by the next one.
 */

const withoutDatabases = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.TEST_DATABASE_URL;
  delete env.DATABASE_URL;
  delete env.E2E_DATABASE_URL;
  return env;
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first stdout line matching `pattern`. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const match = buffer.split("\n").find((line) => pattern.test(line));
      if (match) resolve(match);
    });
    child.on("exit", (code) => reject(new Error(`exited (${code}) before printing ${pattern}: ${buffer}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

// These start whole test runs and servers in child processes: minutes on a busy 2-core machine.
describe("the embedded test server", { timeout: 120_000 }, () => {
  it("prefers a named server, in the documented order", () => {
    const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;
    expect(namedServerUrl(env({}))).toBeUndefined();
    expect(namedServerUrl(env({ DATABASE_URL: "postgres://a/db", TEST_DATABASE_URL: "postgres://b/db" }))).toBe("postgres://b/db");
    expect(namedServerUrl(env({ E2E_DATABASE_URL: "postgres://c:5/e2e" }))).toBe("postgres://c:5/postgres");
  });

  it("starts a real PostgreSQL 15 on loopback, and stopping it leaves no folder", async () => {
    const server = await startEmbeddedServer();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query<{ version: string; dir: string }>("select version(), current_setting('data_directory') as dir");
    await client.end();
    expect(rows[0]!.version).toMatch(/^PostgreSQL 15\./);
    expect(new URL(server.url).hostname).toBe("127.0.0.1");
    const folder = path.dirname(rows[0]!.dir);
    expect(existsSync(folder)).toBe(true);
    await server.stop();
    expect(existsSync(folder)).toBe(false);
  });

  it("Ctrl-C on `npm test` stops its server and removes its folder", async () => {
    const before = leftoverFolders();
    const runner = spawn(process.execPath, ["--import", "tsx", "scripts/test.ts", "unit", "--", "lib/env.test.ts"], {
      env: withoutDatabases(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    const line = await waitForLine(runner, /embedded PostgreSQL started in \d+ ms on 127\.0\.0\.1:(\d+)/);
    const port = Number(/:(\d+)$/.exec(line)![1]);
    const client = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
    await client.connect();
    const dir = (await client.query<{ dir: string }>("select current_setting('data_directory') as dir")).rows[0]!.dir;
    const postmaster = Number(readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    await client.end();
    const ours = () => leftoverFolders().filter((name) => !before.includes(name));
    expect(ours().length).toBeGreaterThan(0);
    runner.kill("SIGINT");
    expect(await exited(runner)).not.toBe(0);
    expect(isAlive(postmaster)).toBe(false);
    expect(existsSync(path.dirname(dir))).toBe(false);
    expect(ours()).toEqual([]);
  });

  it("a run killed outright leaves a server behind, which the next run stops and removes", async () => {
    const victim = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        "import('./scripts/test-postgres.ts').then(async (m) => { const s = await m.startEmbeddedServer(); console.log('up ' + s.url); " +
          "setInterval(() => {}, 1000); })",
      ],
      {
        env: withoutDatabases(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const line = await waitForLine(victim, /^up /);
    const client = new pg.Client({ connectionString: line.slice(3).trim() });
    await client.connect();
    const dir = (await client.query<{ dir: string }>("select current_setting('data_directory') as dir")).rows[0]!.dir;
    await client.end();
    const postmaster = Number(readFileSync(path.join(dir, "postmaster.pid"), "utf8").split("\n")[0]);
    // SIGKILL: no exit hook runs, the server is orphaned.
    victim.kill("SIGKILL");
    await exited(victim);
    expect(isAlive(postmaster)).toBe(true);

    expect(removeOrphans()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => isAlive(postmaster), { timeout: 15_000 }).toBe(false);
    expect(existsSync(path.dirname(dir))).toBe(false);
  });

  it("without a Chromium, `npm test` stops before anything runs and says how to get one", async () => {
    const runner = spawn(process.execPath, ["--import", "tsx", "scripts/test.ts"], {
      env: { ...withoutDatabases(), CHROMIUM_PATH: "/nonexistent/chromium" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    runner.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    let stdout = "";
    runner.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    expect(await exited(runner)).toBe(1);
    expect(stderr.trim()).toBe(NO_CHROMIUM_MESSAGE);
    expect(stdout).not.toMatch(/PostgreSQL started/);
  });

  it("a failing test makes `npm test` exit non-zero, with the embedded server too", async () => {
    const runner = spawn(process.execPath, ["--import", "tsx", "scripts/test.ts", "unit", "--", "tests/infra/exit-code.fixture.ts"], {
      // The fixture opens no database: the run skips the migrated template and image.
      env: { ...withoutDatabases(), MC_FAIL_ON_PURPOSE: "1", MC_TEST_NO_DATABASE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    runner.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    expect(await exited(runner)).toBe(1);
    expect(stdout).toMatch(/embedded PostgreSQL started/);
    expect(stdout).toMatch(/unit: FAILED/);
  }, 240_000);
});
