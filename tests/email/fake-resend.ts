import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the stand-in answers POST /emails. */
export type FakeBehavior = "accept" | "fail" | "hang" | "rate_limit";

export interface ReceivedEmail {
  idempotencyKey: string | null;
  authorization: string | null;
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  /** The HTTP status answered, or "hung" for a request left without an answer. */
  status: number | "hung";
  /** The id answered; repeated for a replayed idempotency key, as Resend does. */
  id: string | null;
  /** True when the key had already been accepted and the first answer was returned again. */
  replayed: boolean;
}

export interface FakeResend {
  /** Base URL to give the transport (no trailing slash). */
  readonly url: string;
  /** Every request received, in order, whatever the answer. */
  readonly requests: ReceivedEmail[];
  setBehavior(behavior: FakeBehavior): void;
  /** Answer 422 for this recipient from now on. */
  rejectAddress(email: string): void;
  /** Requests that were accepted for the first time (real deliveries). */
  delivered(): ReceivedEmail[];
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export interface FakeResendOptions {
  behavior?: FakeBehavior;
  /** Seconds sent in Retry-After with 429. */
  retryAfterSeconds?: number;
  /** Delay before each answer, to widen race windows. */
  latencyMs?: number;
}

/**
 * A local stand-in for Resend's POST /emails on 127.0.0.1 and a random port. It honours the
 * Idempotency-Key header like Resend (an accepted key returns its first id again) and records
 * every request so tests can count deliveries and keys.
 */
export async function startFakeResend(options: FakeResendOptions = {}): Promise<FakeResend> {
  let behavior: FakeBehavior = options.behavior ?? "accept";
  const rejected = new Set<string>();
  const acceptedIds = new Map<string, string>();
  const requests: ReceivedEmail[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  const record = (entry: ReceivedEmail) => {
    requests.push(entry);
    for (const w of [...waiters]) {
      if (requests.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const send = () => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (options.latencyMs) setTimeout(send, options.latencyMs);
    else send();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST" || req.url !== "/emails") {
      answer(res, 404, { statusCode: 404, name: "not_found", message: "Not found" });
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
    const to = ([] as unknown[]).concat(body.to ?? []).map(String);
    const entry: ReceivedEmail = {
      idempotencyKey: header(req, "idempotency-key"),
      authorization: header(req, "authorization"),
      from: String(body.from ?? ""),
      to,
      subject: String(body.subject ?? ""),
      html: String(body.html ?? ""),
      text: String(body.text ?? ""),
      status: 200,
      id: null,
      replayed: false,
    };
    if (!entry.authorization?.startsWith("Bearer ")) {
      record({ ...entry, status: 401 });
      answer(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key in the authorization header." });
      return;
    }
    if (to.some((address) => rejected.has(address))) {
      record({ ...entry, status: 422 });
      answer(res, 422, { statusCode: 422, name: "validation_error", message: `Invalid \`to\` field: ${to.join(", ")}` });
      return;
    }
    if (behavior === "hang") {
      record({ ...entry, status: "hung" });
      return; // never answered; close() drops the socket
    }
    if (behavior === "fail") {
      record({ ...entry, status: 500 });
      answer(res, 500, { statusCode: 500, name: "internal_server_error", message: "An unexpected error occurred." });
      return;
    }
    if (behavior === "rate_limit") {
      record({ ...entry, status: 429 });
      answer(
        res,
        429,
        { statusCode: 429, name: "rate_limit_exceeded", message: "Too many requests." },
        { "retry-after": String(options.retryAfterSeconds ?? 1) },
      );
      return;
    }
    const previous = entry.idempotencyKey ? acceptedIds.get(entry.idempotencyKey) : undefined;
    const id = previous ?? randomUUID();
    if (entry.idempotencyKey && !previous) acceptedIds.set(entry.idempotencyKey, id);
    record({ ...entry, id, replayed: previous !== undefined });
    answer(res, 200, { id });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) answer(res, 400, { statusCode: 400, name: "validation_error", message: String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setBehavior: (b) => {
      behavior = b;
    },
    rejectAddress: (email) => {
      rejected.add(email);
    },
    delivered: () => requests.filter((r) => r.status === 200 && !r.replayed),
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
}
