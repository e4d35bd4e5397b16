import { createHash } from "node:crypto";
import { and, eq, lte, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { apiIdempotencyKeys } from "@/db/schema";
import { authenticateApiKey, isDomainError, type Actor } from "@/lib/membership";
import { inTransaction } from "@/lib/membership/transaction";
import { loggableError } from "@/lib/loggable-error";
import { consumeRateLimit } from "@/lib/rate-limit";
import { buildOpenApiDocument } from "./openapi";
import { matchOperation, type Operation } from "./operations";
import { problem, problemCodeOf, problemResponse, type Problem } from "./problem";

export const API_BASE = "/api/v1";
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export interface ApiOptions {
  now?: Date;
  /** The app's public URL, for invitation links. */
  baseUrl?: string;
  rateLimit: { perMinute: number };
  /** Called after a success that may have queued emails (the app delivers them after the response). */
  afterEmails?: () => void;
}

interface Outcome {
  status: number;
  body: unknown;
  /** A refusal by a domain limit says when to try again (never stored: 429s are not replayed). */
  retryAfterSeconds?: number;
}

const json = (o: Outcome, headers: Record<string, string>) =>
  o.status >= 400
    ? problemResponse(o.body as Problem, o.retryAfterSeconds ? { ...headers, "retry-after": String(o.retryAfterSeconds) } : headers)
    : new Response(JSON.stringify(o.body), { status: o.status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });

const failure = (p: Problem): Outcome => ({ status: p.status, body: p });

/** Zod issues as a problem with one list of messages per field; nothing was changed. */
function validationProblem(error: z.ZodError, where: string): Problem {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : where;
    (errors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  return problem("VALIDATION", first ? `${first.path.length ? first.path.join(".") : where}: ${first.message}` : "The request is not valid.", errors);
}

/** Runs the operation's domain call and shapes its answer; expected refusals become problems. */
async function execute(op: Operation, db: Db, actor: Actor, input: { params: Record<string, string>; query: Record<string, string | undefined>; body: unknown }, options: ApiOptions): Promise<Outcome> {
  try {
    const data = await op.run({ db, actor, ...input, baseUrl: options.baseUrl, now: options.now });
    // Parsing the answer through its documented schema keeps out every field the document does not name.
    return { status: op.status, body: op.response.parse(JSON.parse(JSON.stringify(data))) };
  } catch (err) {
    if (isDomainError(err)) return { ...failure(problem(problemCodeOf(err.code), err.message, err.fieldErrors)), retryAfterSeconds: err.retryAfterSeconds };
    throw err;
  }
}

class NotStored extends Error {
  constructor(readonly outcome: Outcome) {
    super("not stored");
  }
}

/**
 * A POST with an Idempotency-Key runs at most once per key and body for 24 hours. The key's row is
 * inserted in the same transaction as the change: a concurrent twin waits on that row, then reads
 * the stored answer, so ten identical requests at once make one change and get one answer.
 */
async function executeOnce(db: Db, apiKeyId: string, idempotencyKey: string, requestHash: string, run: (tx: Db) => Promise<Outcome>, now: Date): Promise<Outcome & { replayed: boolean }> {
  try {
    return await inTransaction(db, async (tx) => {
      const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
      const claimed = await tx
        .insert(apiIdempotencyKeys)
        .values({ apiKeyId, key: idempotencyKey, requestHash, status: 0, body: null, createdAt: now, expiresAt })
        .onConflictDoUpdate({
          target: [apiIdempotencyKeys.apiKeyId, apiIdempotencyKeys.key],
          set: { requestHash, status: 0, body: null, createdAt: now, expiresAt },
          // A stored answer older than 24 hours no longer counts.
          setWhere: lte(apiIdempotencyKeys.expiresAt, sql`${now}::timestamptz`),
        })
        .returning({ key: apiIdempotencyKeys.key });
      if (claimed.length === 0) {
        const [stored] = await tx.select().from(apiIdempotencyKeys).where(and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, idempotencyKey)));
        if (!stored || stored.requestHash !== requestHash) {
          return { ...failure(problem("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used with a different request. Use a new key for a new request.")), replayed: false };
        }
        return { status: stored.status, body: stored.body, replayed: true };
      }
      const outcome = await run(tx);
      // A refusal for too many requests is not the answer to keep: a later retry may succeed.
      if (outcome.status === 429) throw new NotStored(outcome);
      await tx.update(apiIdempotencyKeys).set({ status: outcome.status, body: outcome.body }).where(and(eq(apiIdempotencyKeys.apiKeyId, apiKeyId), eq(apiIdempotencyKeys.key, idempotencyKey)));
      return { ...outcome, replayed: false };
    });
  } catch (err) {
    if (err instanceof NotStored) return { ...err.outcome, replayed: false };
    throw err;
  }
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/**
 * Answers one request to /api/v1: bearer key → per-key rate limit → route → zod → domain, with
 * problem+json for every refusal and no stack trace in any answer. Framework-free, so tests call
 * it directly with a real database.
 */
export async function handleApiRequest(db: Db, request: Request, options: ApiOptions): Promise<Response> {
  try {
    return await handle(db, request, options);
  } catch (err) {
    console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed: ${loggableError(err)}`);
    return problemResponse(problem("INTERNAL", "Something went wrong on our side. Nothing was changed; please try again."));
  }
}

async function handle(db: Db, request: Request, options: ApiOptions): Promise<Response> {
  const now = options.now ?? new Date();
  const url = new URL(request.url);
  const path = url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) : url.pathname;
  const method = request.method.toUpperCase();

  if (path === "/openapi.json" && (method === "GET" || method === "HEAD")) {
    return new Response(JSON.stringify(buildOpenApiDocument()), { headers: { "content-type": "application/json", "cache-control": "public, max-age=300" } });
  }

  const match = matchOperation(method, path);
  if (!match) return problemResponse(problem("NOT_FOUND", "There is no such endpoint. The endpoints are described at /api/v1/openapi.json."));
  if ("allowed" in match) return problemResponse(problem("METHOD_NOT_ALLOWED", `Use ${match.allowed.join(", ")} here.`), { allow: match.allowed.join(", ") });
  const { op, params } = match;

  const authorization = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const actor = bearer ? await authenticateApiKey(db, bearer, { now }) : null;
  if (!actor?.apiKey) {
    return problemResponse(problem("UNAUTHENTICATED", bearer ? "This API key is not valid: it may be mistyped, revoked or expired." : "Send an API key: Authorization: Bearer <key>."), { "www-authenticate": 'Bearer realm="api"' });
  }

  const limit = options.rateLimit.perMinute;
  const verdict = await consumeRateLimit(db, `api:key:${actor.apiKey.id}`, limit, 60_000, now);
  const rateHeaders = {
    "ratelimit-policy": `"per-key";q=${limit};w=60`,
    ratelimit: `"per-key";r=${verdict.remaining};t=${verdict.retryAfterSeconds}`,
  };
  if (!verdict.allowed) {
    return problemResponse(problem("RATE_LIMITED", `Too many requests with this API key: at most ${limit} a minute. Try again in ${verdict.retryAfterSeconds} seconds.`), {
      ...rateHeaders,
      "retry-after": String(verdict.retryAfterSeconds),
    });
  }

  const queryResult = op.query ? op.query.safeParse(firstValues(url.searchParams)) : { success: true as const, data: {} };
  if (!queryResult.success) return problemResponse(validationProblem(queryResult.error, "query"), rateHeaders);
  const query = queryResult.data as Record<string, string | undefined>;

  let body: unknown = undefined;
  let rawJson: unknown = null;
  if (op.body) {
    const type = request.headers.get("content-type") ?? "";
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) return problemResponse(problem("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json."), rateHeaders);
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) return problemResponse(problem("BAD_REQUEST", `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`), rateHeaders);
    try {
      rawJson = JSON.parse(text);
    } catch {
      return problemResponse(problem("BAD_REQUEST", "The body is not valid JSON."), rateHeaders);
    }
    const parsed = op.body.safeParse(rawJson);
    if (!parsed.success) return problemResponse(validationProblem(parsed.error, "body"), rateHeaders);
    body = parsed.data;
  }

  const idempotencyKey = method === "POST" ? request.headers.get("idempotency-key") : null;
  if (idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    return problemResponse(problem("VALIDATION", "An Idempotency-Key has 1 to 255 visible ASCII characters.", { "Idempotency-Key": ["1 to 255 visible ASCII characters"] }), rateHeaders);
  }

  const input = { params, query, body };
  const outcome = idempotencyKey
    ? await executeOnce(
        db,
        actor.apiKey.id,
        idempotencyKey,
        createHash("sha256").update(`${method} ${url.pathname}?${new URLSearchParams(query as Record<string, string>).toString()}\n${JSON.stringify(rawJson)}`).digest("hex"),
        (tx) => execute(op, tx, actor, input, { ...options, now }),
        now,
      )
    : { ...(await execute(op, db, actor, input, { ...options, now })), replayed: false };

  if (outcome.status < 400 && op.sendsEmail && !outcome.replayed) options.afterEmails?.();
  return json(outcome, { ...rateHeaders, ...(idempotencyKey && outcome.replayed ? { "idempotency-replayed": "true" } : {}) });
}
