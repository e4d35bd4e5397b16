import "server-only";
import type { z } from "zod";
import type { Db } from "@/db/client";
import { errorText } from "@/lib/error-text";
import { authenticateApiKey, isDomainError, type Actor } from "@/lib/membership";
import { executeOnce, requestHash, type Answer, type OnceResult } from "./idempotency";
import { buildOpenApiDocument } from "./openapi";
import { matchOperation, type Operation, type StreamedFile } from "./operations";
import { problem, problemCodeOf, problemResponse, type Problem } from "./problem";
import { consumeApiRateLimits, type ApiRateLimits } from "./rate-limits";

export { IDEMPOTENCY_TTL_MS } from "./idempotency";
export const API_BASE = "/api/v1";
export const MAX_BODY_BYTES = 64 * 1024;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const NO_QUERY: { success: true; data: Record<string, unknown> } = { success: true, data: {} };

export interface ApiOptions {
  now?: Date;
  /** The app's public URL, for invitation links. */
  baseUrl?: string;
  rateLimit: ApiRateLimits;
  /** Called after a success that may have queued emails (the app delivers them after the response). */
  afterEmails?: () => void;
}

const problemAnswer = (p: Problem, retryAfterSeconds?: number): Answer => ({
  status: p.status,
  contentType: "application/problem+json",
  text: JSON.stringify(p),
  retryAfterSeconds,
});

/** The answer as sent; a replay passes the stored text and type, so its bytes are those of the first answer. */
function respond(a: Answer, headers: Record<string, string>): Response {
  const retry: Record<string, string> = a.retryAfterSeconds ? { "retry-after": String(a.retryAfterSeconds) } : {};
  return new Response(a.text, {
    status: a.status,
    headers: { "content-type": a.contentType, "cache-control": "no-store", ...headers, ...retry },
  });
}

/** Zod issues as a problem with one list of messages per field; nothing was changed. */
function validationProblem(error: z.ZodError, where: string): Problem {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : where;
    (errors[key] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  return problem(
    "VALIDATION",
    first ? `${first.path.length ? first.path.join(".") : where}: ${first.message}` : "The request is not valid.",
    errors,
  );
}

/** Runs the operation's domain call and shapes its answer; expected refusals become problems. */
async function execute(
  op: Operation,
  db: Db,
  actor: Actor,
  input: { params: Record<string, string>; query: Record<string, unknown>; body: unknown },
  options: ApiOptions,
): Promise<Answer> {
  try {
    const data = await op.run({ db, actor, ...input, baseUrl: options.baseUrl, now: options.now });
    // Parsing the answer through its documented schema keeps out every field the document does not name.
    return {
      status: op.status,
      contentType: "application/json",
      text: JSON.stringify(op.response.parse(JSON.parse(JSON.stringify(data)))),
    };
  } catch (err) {
    if (isDomainError(err)) return problemAnswer(problem(problemCodeOf(err.code), err.message, err.fieldErrors), err.retryAfterSeconds);
    throw err;
  }
}

/** A streamed file's answer: its first byte leaves once the domain has let the key through; a refusal streams nothing. */
async function streamFile(
  op: Operation,
  db: Db,
  actor: Actor,
  input: { params: Record<string, string>; query: Record<string, unknown> },
  options: ApiOptions & { now: Date },
  headers: Record<string, string>,
): Promise<Response> {
  let file: StreamedFile;
  try {
    file = (await op.run({ db, actor, ...input, body: undefined, baseUrl: options.baseUrl, now: options.now })) as StreamedFile;
  } catch (err) {
    if (isDomainError(err))
      return respond(problemAnswer(problem(problemCodeOf(err.code), err.message, err.fieldErrors), err.retryAfterSeconds), headers);
    throw err;
  }
  return new Response(file.body, {
    status: op.status,
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
      ...headers,
    },
  });
}

const REUSED = problem(
  "IDEMPOTENCY_KEY_REUSED",
  "This Idempotency-Key was already used with a different request. Use a new key for a new request.",
);
const WITHHELD = problem(
  "IDEMPOTENT_SECRET_NOT_KEPT",
  "This request was already carried out with this Idempotency-Key; the link it made was shown once and is not kept. Issue a new link with a new key.",
);

/** What an Idempotency-Key request answers, and whether it is a replay of the first answer. */
function onceAnswer(result: OnceResult): { answer: Answer; replayed: boolean } {
  switch (result.kind) {
    case "fresh":
      return { answer: result.answer, replayed: false };
    case "replay":
      return { answer: result.answer, replayed: true };
    case "withheld":
      return { answer: problemAnswer(WITHHELD), replayed: false };
    case "reused":
      return { answer: problemAnswer(REUSED), replayed: false };
  }
}

function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/**
 * Answers one request to /api/v1: bearer key → per-key and per-organization rate limits → route → zod → domain, with
 * problem+json for every refusal and no stack trace in any answer. Framework-free, so tests call
 * it directly with a real database.
 */
export async function handleApiRequest(db: Db, request: Request, options: ApiOptions): Promise<Response> {
  try {
    return await handle(db, request, options);
  } catch (err) {
    console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed: ${errorText(err, { stack: true })}`);
    return problemResponse(problem("INTERNAL", "Something went wrong on our side. Nothing was changed; please try again."));
  }
}

async function handle(db: Db, request: Request, options: ApiOptions): Promise<Response> {
  const now = options.now ?? new Date();
  const url = new URL(request.url);
  const path = url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) : url.pathname;
  const method = request.method.toUpperCase();

  if (path === "/openapi.json" && (method === "GET" || method === "HEAD")) {
    return new Response(JSON.stringify(buildOpenApiDocument()), {
      headers: { "content-type": "application/json", "cache-control": "public, max-age=300" },
    });
  }

  const match = matchOperation(method, path);
  if (!match)
    return problemResponse(problem("NOT_FOUND", "There is no such endpoint. The endpoints are described at /api/v1/openapi.json."));
  if ("allowed" in match)
    return problemResponse(problem("METHOD_NOT_ALLOWED", `Use ${match.allowed.join(", ")} here.`), { allow: match.allowed.join(", ") });
  const { op, params } = match;

  const authorization = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  const actor = bearer ? await authenticateApiKey(db, bearer, { now }) : null;
  if (!actor?.apiKey) {
    return problemResponse(
      problem(
        "UNAUTHENTICATED",
        bearer ? "This API key is not valid: it may be mistyped, revoked or expired." : "Send an API key: Authorization: Bearer <key>.",
      ),
      { "www-authenticate": 'Bearer realm="api"' },
    );
  }

  const rate = await consumeApiRateLimits(db, actor.apiKey, options.rateLimit, now);
  const rateHeaders = rate.headers;
  if (rate.refusal) return respond(problemAnswer(rate.refusal.problem, rate.refusal.retryAfterSeconds), rateHeaders);

  const queryResult = op.query ? op.query.safeParse(firstValues(url.searchParams)) : NO_QUERY;
  if (!queryResult.success) return problemResponse(validationProblem(queryResult.error, "query"), rateHeaders);
  const query = queryResult.data;
  if (op.streams) return streamFile(op, db, actor, { params, query }, { ...options, now }, rateHeaders);

  let body: unknown = undefined;
  let rawJson: unknown = null;
  if (op.body) {
    const type = request.headers.get("content-type") ?? "";
    if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type))
      return problemResponse(problem("UNSUPPORTED_MEDIA_TYPE", "Send the body as JSON with Content-Type: application/json."), rateHeaders);
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES)
      return problemResponse(problem("BAD_REQUEST", `The body is larger than ${MAX_BODY_BYTES / 1024} KiB.`), rateHeaders);
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
    return problemResponse(
      problem("VALIDATION", "An Idempotency-Key has 1 to 255 visible ASCII characters.", {
        "Idempotency-Key": ["1 to 255 visible ASCII characters"],
      }),
      rateHeaders,
    );
  }

  const input = { params, query, body };
  const run = (tx: Db) => execute(op, tx, actor, input, { ...options, now });
  const { answer, replayed } = idempotencyKey
    ? onceAnswer(
        await executeOnce(
          db,
          {
            apiKeyId: actor.apiKey.id,
            key: idempotencyKey,
            hash: requestHash(method, url.pathname, query, rawJson),
            revealsSecret: op.revealsSecret === true,
            now,
          },
          run,
        ),
      )
    : { answer: await run(db), replayed: false };

  if (answer.status < 400 && op.sendsEmail && !replayed) options.afterEmails?.();
  return respond(answer, { ...rateHeaders, ...(replayed ? { "idempotency-replayed": "true" } : {}) });
}
