/**
 * What the benches share for their database and command line: a fresh ("scratch") database on the
 * Postgres server named by DATABASE_URL, made for one run and dropped after; the `--name value`
 * options; the loopback app and database a bench against a running server drives; timing samples.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Db } from "@/db/client";
import { organizations, webhookEndpoints } from "@/db/schema";
import { generateWebhookSecret, sealWebhookSecret } from "@/lib/webhooks/signing";
import type { Receiver } from "@/tests/webhooks/receiver";
import { sql } from "./app-harness";

/** The Postgres server of DATABASE_URL, or an error that says what the bench needs it for. */
export function serverUrl(why = "Set DATABASE_URL to a Postgres server (a fresh database is made on it and dropped after)."): string {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error(why);
  return server;
}

/** The name and address of a fresh database on `server` (the caller makes it with `create database ${name}`). */
export function scratchName(server: string, prefix: string): { name: string; url: URL } {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { name, url };
}

/** Makes a fresh database on `server`; `drop()` removes it. */
export async function createScratchDatabase(server: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { name, url } = scratchName(server, prefix);
  await sql(server, `create database ${name}`);
  return { url: url.toString(), drop: async () => void (await sql(server, `drop database if exists ${name} with (force)`)) };
}

/** The value after `--name` on the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : fallback;
}

/** The running app a bench drives (BENCH_BASE_URL, on this machine only) and its database (DATABASE_URL). */
export function localApp(bench: string, fallbackBase: string): { base: string; dbUrl: string } {
  const base = process.env.BENCH_BASE_URL ?? fallbackBase;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(base).hostname)) throw new Error(`${bench} runs against this machine only`);
  return { base, dbUrl: serverUrl("DATABASE_URL must name the server's database") };
}

/** `runs` timings of `fn` in milliseconds, sorted. */
export async function sampleMs(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b);
}

/** An organization "Bench" with one endpoint for member.removed at the receiver, which knows its secret to verify signatures. */
export async function seedBenchEndpoint(db: Db, receiver: Receiver): Promise<{ orgId: string; endpointId: string }> {
  const orgId = randomUUID();
  await db.insert(organizations).values({ id: orgId, name: "Bench" });
  const endpointId = randomUUID();
  const secret = generateWebhookSecret();
  receiver.secrets = [secret];
  await db.insert(webhookEndpoints).values({
    id: endpointId,
    orgId,
    url: receiver.url,
    eventTypes: ["member.removed"],
    secretSealed: sealWebhookSecret(secret, endpointId),
  });
  return { orgId, endpointId };
}

/** Requests per second when `total` calls of `fn` run with `inFlight` at a time. */
export async function requestsPerSecond(total: number, inFlight: number, fn: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < total) await fn();
    }),
  );
  return total / ((performance.now() - started) / 1000);
}
