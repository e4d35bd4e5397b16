import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { performance } from "node:perf_hooks";
import { resolveAllowedAddress, type AddressOptions, type HostResolver } from "./address-guard";

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface PostOptions extends AddressOptions {
  resolve?: HostResolver;
  timeoutMs?: number;
}

/** What one attempt got: an answer (any status), or no answer and why. */
export type PostResult =
  | { kind: "answered"; status: number; body: string; durationMs: number }
  | { kind: "refused" | "failed"; error: string; durationMs: number };

/**
 * POSTs one signed body to an endpoint. The host is resolved and checked (address-guard) before
 * any connection, and the socket connects to that checked address (the lookup given to node
 * returns it; the name is never resolved again). Redirects are not followed: a 3xx is an answer
 * like any other and counts as a failed attempt, so a redirect cannot lead anywhere unchecked.
 * The whole attempt (connect, send, answer) has `timeoutMs` (10 s); at most 64 kB of the answer is read.
 */
export async function postWebhook(url: string, headers: Record<string, string>, body: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  if (target.protocol !== "https:" && target.protocol !== "http:") return { kind: "refused", error: "not an http(s) URL", durationMs: 0 };
  let resolved;
  try {
    resolved = await resolveAllowedAddress(target.hostname, options);
  } catch (err) {
    return { kind: "refused", error: err instanceof Error ? err.message : String(err), durationMs: elapsed() };
  }
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const transport = target.protocol === "https:" ? https : http;
    const request = transport.request(
      target,
      {
        method: "POST",
        lookup: pinned,
        agent: false,
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "membership-console-webhooks/1",
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () =>
          finish({
            kind: "answered",
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString("utf8"),
            durationMs: elapsed(),
          });
        response.on("data", (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
          // The rest of a long answer is not waited for.
          if (size >= MAX_RESPONSE_BYTES) done();
        });
        response.on("end", done);
        response.on("error", (err) => finish({ kind: "failed", error: err.message, durationMs: elapsed() }));
      },
    );
    const timer = setTimeout(
      () => finish({ kind: "failed", error: `no answer within ${timeoutMs / 1000} s`, durationMs: elapsed() }),
      timeoutMs,
    );
    request.on("error", (err) => finish({ kind: "failed", error: err.message, durationMs: elapsed() }));
    request.end(body);
  });
}
