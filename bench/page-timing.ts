/**
 * Timing a page as a person waits for it, shared by bench/project-page.ts and
 * bench/anchor-comparison.ts: first byte, <h1>, full body of each request; the server's and
 * Postgres's CPU time and the statements (from a counting relay) over a run; req/s with 10 in
 * flight. A tally adds up runs, so rounds of two apps can alternate and be summed per app.
 */
import { gzipSync } from "node:zlib";
import pg from "pg";
import { cpuMs, quantile } from "./app-harness";

export interface Timed {
  firstByte: number;
  heading: number;
  full: number;
  /** Bytes of the first read of the body: the shell alone, or (when nothing streamed) the whole page. */
  firstChunk: number;
  body: Buffer;
  status: number;
}

/** One GET, read chunk by chunk: when the first chunk, the <h1> and the end arrived (ms). */
export async function timedGet(url: string, cookie: string): Promise<Timed> {
  const started = performance.now();
  const response = await fetch(url, { headers: { cookie }, redirect: "manual" });
  const reader = response.body!.getReader();
  const chunks: Buffer[] = [];
  let firstByte = Number.NaN;
  let heading = Number.NaN;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const now = performance.now() - started;
    if (Number.isNaN(firstByte)) firstByte = now;
    chunks.push(Buffer.from(value));
    if (Number.isNaN(heading)) {
      text += Buffer.from(value).toString("utf8");
      if (text.includes("<h1")) heading = now;
    }
  }
  const firstChunk = chunks[0]?.byteLength ?? 0;
  return { firstByte, heading, full: performance.now() - started, firstChunk, body: Buffer.concat(chunks), status: response.status };
}

/**
 * User + system CPU ms of each client backend of a database (the app's connections), by pid
 * (read from /proc/<pid>/stat). Autovacuum workers, which analyze the freshly seeded tables
 * while the bench runs, are not the page's work and are left out.
 */
export async function backendsCpu(monitor: pg.Client, dbName: string): Promise<Map<number, number>> {
  const { rows } = await monitor.query<{ pid: number }>(
    "select pid from pg_stat_activity where datname = $1 and backend_type = 'client backend' and pid <> pg_backend_pid()",
    [dbName],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuMs(pid));
    } catch {
      // The backend ended between the two reads.
    }
  }
  return cpu;
}

export const cpuSince = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

/** A page to time, and where its costs are read. */
export interface PageTarget {
  url: string;
  cookie: string;
  /** The app's process. */
  pid: number;
  /** A connection to the Postgres server, and the name of the app's database there. */
  monitor: pg.Client;
  dbName: string;
  /** Statements the app has sent so far (its counting relay's count). */
  statements: () => number;
}

/** What runs of one page added up to. */
export interface Tally {
  samples: Timed[];
  serverCpuMs: number;
  pgCpuMs: number;
  statements: number;
  throughputRequests: number;
  throughputMs: number;
}

export const newTally = (): Tally => ({ samples: [], serverCpuMs: 0, pgCpuMs: 0, statements: 0, throughputRequests: 0, throughputMs: 0 });

export async function warm(target: PageTarget, requests = 5): Promise<void> {
  for (let i = 0; i < requests; i++) await timedGet(target.url, target.cookie);
}

/** `runs` requests one after another; their times, and the CPU and statements they cost, into the tally. */
export async function sequentialInto(tally: Tally, target: PageTarget, runs: number): Promise<void> {
  const cpuBefore = cpuMs(target.pid);
  const pgBefore = await backendsCpu(target.monitor, target.dbName);
  const statementsBefore = target.statements();
  for (let i = 0; i < runs; i++) {
    const r = await timedGet(target.url, target.cookie);
    if (r.status !== 200) throw new Error(`${target.url} answered ${r.status}`);
    tally.samples.push(r);
  }
  tally.statements += target.statements() - statementsBefore;
  tally.pgCpuMs += cpuSince(pgBefore, await backendsCpu(target.monitor, target.dbName));
  tally.serverCpuMs += cpuMs(target.pid) - cpuBefore;
}

/** `total` requests with `inFlight` at a time, into the tally's req/s. */
export async function concurrentInto(tally: Tally, target: PageTarget, total: number, inFlight = 10): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < total) await timedGet(target.url, target.cookie);
    }),
  );
  tally.throughputMs += performance.now() - started;
  tally.throughputRequests += total;
}

export interface PageFigures {
  firstByteP50: number;
  firstByteP95: number;
  headingP50: number;
  firstChunkKbP50: number;
  fullP50: number;
  fullP95: number;
  requestsPerSecond: number;
  serverCpuMs: number;
  pgCpuMs: number;
  htmlKb: number;
  gzipKb: number;
  statements: number;
}

/** The tally's figures: quantiles of the sequential requests, per-page costs, the last body's size. */
export function figures(tally: Tally): PageFigures {
  const runs = tally.samples.length;
  const of = (k: "firstByte" | "heading" | "full" | "firstChunk", q: number) =>
    quantile(
      tally.samples.map((s) => s[k]),
      q,
    );
  const body = tally.samples.at(-1)!.body;
  return {
    firstByteP50: of("firstByte", 0.5),
    firstByteP95: of("firstByte", 0.95),
    headingP50: of("heading", 0.5),
    firstChunkKbP50: of("firstChunk", 0.5) / 1024,
    fullP50: of("full", 0.5),
    fullP95: of("full", 0.95),
    requestsPerSecond: tally.throughputRequests / (tally.throughputMs / 1000),
    serverCpuMs: tally.serverCpuMs / runs,
    pgCpuMs: tally.pgCpuMs / runs,
    htmlKb: body.byteLength / 1024,
    gzipKb: gzipSync(body, { level: 6 }).byteLength / 1024,
    statements: tally.statements / runs,
  };
}
