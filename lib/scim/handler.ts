import "server-only";
import type { Db } from "@/db/client";
import { errorText } from "@/lib/error-text";
import { readBounded } from "@/lib/http/read-bounded";
import { isUuid } from "@/lib/membership/access";
import { authenticateScimToken } from "@/lib/membership/scim/authenticate-scim-token";
import { consumeRateLimit } from "@/lib/rate-limit";
import { listResponse, resourceTypes, schemas, serviceProviderConfig } from "./discovery";
import { SCIM_CONTENT_TYPE, ScimError, scimErrorBody, scimErrorOf, scimNotFound } from "./errors";
import { SCIM_RESOURCES } from "./resources";
import type { ScimAnswer, ScimContext, ScimResourceDefinition } from "./types";

export const SCIM_BASE = "/scim/v2";
/** The largest body accepted: a Groups PATCH with 1,000 members is about 60 KiB. */
export const SCIM_MAX_BODY_BYTES = 1024 * 1024;
const WINDOW_MS = 60_000;

export interface ScimOptions {
  /** The app's public origin (APP_URL): the base of every `meta.location`. */
  appUrl: string;
  /** Requests per SCIM token per minute. */
  perMinute: number;
  now?: Date;
}

function answer(a: ScimAnswer): Response {
  const body = a.body === undefined ? null : JSON.stringify(a.body);
  return new Response(body, {
    status: a.status,
    headers: { ...(body ? { "content-type": SCIM_CONTENT_TYPE } : {}), "cache-control": "no-store", ...a.headers },
  });
}

function errorAnswer(e: ScimError): Response {
  return answer({ status: e.status, body: scimErrorBody(e.status, e.message, e.scimType), headers: e.headers });
}

/**
 * Answers one request to /scim/v2/{orgId}/…: bearer SCIM token of that organization → per-token
 * rate limit → discovery or a resource's verb, with SCIM JSON or a SCIM error (RFC 7644 §3.12)
 * for every refusal and no stack trace in any answer. Framework-free, so tests call it directly.
 */
export async function handleScimRequest(db: Db, request: Request, options: ScimOptions): Promise<Response> {
  try {
    return await handle(db, request, options);
  } catch (err) {
    const known = scimErrorOf(err);
    if (known) return errorAnswer(known);
    console.error(`[scim] ${request.method} ${new URL(request.url).pathname} failed: ${errorText(err, { stack: true })}`);
    return errorAnswer(new ScimError(500, "Something went wrong on our side. Nothing was changed; please try again."));
  }
}

async function handle(db: Db, request: Request, options: ScimOptions): Promise<Response> {
  const now = options.now ?? new Date();
  const url = new URL(request.url);
  const rest = url.pathname.startsWith(SCIM_BASE + "/") ? url.pathname.slice(SCIM_BASE.length + 1) : "";
  const [orgId = "", ...segments] = rest.split("/").filter((s) => s.length > 0);

  const authorization = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  // A token of another organization, a revoked one or an API key all read the same: not valid here.
  const actor = bearer && isUuid(orgId) ? await authenticateScimToken(db, bearer, orgId, { now }) : null;
  if (!actor) {
    throw new ScimError(
      401,
      bearer
        ? "This SCIM token is not valid for this organization: it may be mistyped or revoked, or belong to another organization."
        : "Send a SCIM token: Authorization: Bearer <token>.",
      undefined,
      { "www-authenticate": 'Bearer realm="scim"' },
    );
  }

  const verdict = await consumeRateLimit(db, `scim:token:${actor.scim.tokenId}`, options.perMinute, WINDOW_MS, now);
  if (!verdict.allowed)
    throw new ScimError(
      429,
      `Too many requests with this SCIM token: at most ${options.perMinute} a minute. Try again in ${verdict.retryAfterSeconds} seconds.`,
      undefined,
      { "retry-after": String(verdict.retryAfterSeconds) },
    );

  const baseUrl = `${options.appUrl.replace(/\/$/, "")}${SCIM_BASE}/${orgId}`;
  const ctx: ScimContext = { db, actor, orgId, baseUrl, now };
  const method = request.method.toUpperCase();
  const [first = "", id, ...more] = segments.map(decodeSegment);
  if (more.length > 0) throw scimNotFound("There is no such endpoint.");

  const discovery = discoveryAnswer(first, id, baseUrl);
  if (discovery) {
    if (method !== "GET") throw methodNotAllowed(["GET"]);
    return answer(discovery);
  }

  const resource = SCIM_RESOURCES.find((r) => r.endpoint === first);
  if (!resource) throw scimNotFound("There is no such endpoint. See /ServiceProviderConfig, /ResourceTypes and /Schemas.");
  return answer(await dispatch(resource, ctx, method, id, url.searchParams, request));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ScimError(400, "The address is not valid: it has a broken %-escape.", "invalidSyntax");
  }
}

function methodNotAllowed(allowed: string[]): ScimError {
  return new ScimError(405, `Use ${allowed.join(", ")} here.`, undefined, { allow: allowed.join(", ") });
}

/** The discovery endpoints (RFC 7644 §4); null when the path is not one of them. */
function discoveryAnswer(first: string, id: string | undefined, baseUrl: string): ScimAnswer | null {
  switch (first) {
    case "ServiceProviderConfig":
      if (id !== undefined) throw scimNotFound();
      return { status: 200, body: serviceProviderConfig(baseUrl) };
    case "ResourceTypes":
    case "Schemas": {
      const all = first === "Schemas" ? schemas(baseUrl) : resourceTypes(baseUrl);
      if (id === undefined) return { status: 200, body: listResponse(all, all.length) };
      const one = all.find((d) => d.id === id);
      if (!one) throw scimNotFound(`There is no ${first === "Schemas" ? "schema" : "resource type"} ${JSON.stringify(id)}.`);
      return { status: 200, body: one };
    }
    default:
      return null;
  }
}

async function dispatch(
  r: ScimResourceDefinition,
  ctx: ScimContext,
  method: string,
  id: string | undefined,
  query: URLSearchParams,
  request: Request,
): Promise<ScimAnswer> {
  if (id === undefined) {
    if (method === "GET" && r.list) return r.list(ctx, query);
    if (method === "POST" && r.create) return r.create(ctx, await readBody(request));
    throw methodNotAllowed([r.list && "GET", r.create && "POST"].filter((m): m is string => !!m));
  }
  if (method === "GET" && r.read) return r.read(ctx, id, query);
  if (method === "PUT" && r.replace) return r.replace(ctx, id, await readBody(request));
  if (method === "PATCH" && r.patch) return r.patch(ctx, id, await readBody(request));
  if (method === "DELETE" && r.remove) return r.remove(ctx, id);
  throw methodNotAllowed([r.read && "GET", r.replace && "PUT", r.patch && "PATCH", r.remove && "DELETE"].filter((m): m is string => !!m));
}

/** The JSON body, read up to SCIM_MAX_BODY_BYTES (a larger one is refused before it is all in memory). */
async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(?:scim\+)?json\s*(?:;|$)/i.test(type))
    throw new ScimError(415, "Send the body as JSON with Content-Type: application/scim+json.");
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > SCIM_MAX_BODY_BYTES) throw tooLarge();
  const reader = request.body?.getReader();
  const text = reader ? await readBounded(reader, SCIM_MAX_BODY_BYTES, tooLarge) : "";
  try {
    return JSON.parse(text);
  } catch {
    throw new ScimError(400, "The body is not valid JSON.", "invalidSyntax");
  }
}

const tooLarge = () => new ScimError(413, `The body is larger than ${SCIM_MAX_BODY_BYTES / 1024} KiB.`);
