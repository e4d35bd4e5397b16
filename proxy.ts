import { NextResponse, type NextRequest } from "next/server";
import { problem } from "@/lib/api/problem";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { getEnv } from "@/lib/env";
import { SCIM_CONTENT_TYPE, scimErrorBody } from "@/lib/scim/errors";
import {
  ACTION_BODY_LIMIT_BYTES,
  contentSecurityPolicy,
  isAcceptableActionJson,
  NON_PAGE_CSP,
  securityHeaders,
} from "@/lib/http/security-headers";

function plain(status: number, message: string): NextResponse {
  return new NextResponse(message, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}

/**
 * Refuses malformed requests before Next.js parses them (it would answer 500): broken %-escapes,
 * server action calls from another origin, oversized bodies, and action arguments that are not
 * JSON or nest too deeply. Returns null when the request may go on.
 */
async function refuseMalformed(request: NextRequest, appOrigin: string): Promise<NextResponse | null> {
  try {
    decodeURIComponent(request.nextUrl.pathname);
  } catch {
    // The HTTP API answers every refusal as problem+json (lib/api/problem.ts), this one too.
    if (request.nextUrl.pathname.startsWith("/api/v1/")) {
      return new NextResponse(JSON.stringify(problem("BAD_REQUEST", "The address is not valid: it has a broken %-escape.")), {
        status: 400,
        headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
      });
    }
    // ── Issue 20: SCIM answers every refusal as a SCIM error (lib/scim/errors.ts), this one too. ──
    if (request.nextUrl.pathname.startsWith("/scim/v2/")) {
      return new NextResponse(JSON.stringify(scimErrorBody(400, "The address is not valid: it has a broken %-escape.", "invalidSyntax")), {
        status: 400,
        headers: { "content-type": SCIM_CONTENT_TYPE, "cache-control": "no-store" },
      });
    }
    return plain(400, "Bad request: the address is not valid.");
  }
  if (request.method !== "POST" || !request.headers.has("next-action")) return null;
  const origin = request.headers.get("origin");
  if (origin && origin !== appOrigin && origin !== request.nextUrl.origin)
    return plain(403, "Forbidden: this request came from another site.");
  const length = Number(request.headers.get("content-length") ?? NaN);
  if (length > ACTION_BODY_LIMIT_BYTES) return plain(413, "Request too large.");
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("multipart/form-data")) return checkedForm(request);
  const body = await request.clone().text();
  if (Buffer.byteLength(body) > ACTION_BODY_LIMIT_BYTES) return plain(413, "Request too large.");
  if (!isAcceptableActionJson(body)) return plain(400, "Bad request: the action arguments are not valid.");
  return null;
}

/** A multipart action body must be within the limit and parse as a form. */
async function checkedForm(request: NextRequest): Promise<NextResponse | null> {
  const body = await request.clone().arrayBuffer();
  if (body.byteLength > ACTION_BODY_LIMIT_BYTES) return plain(413, "Request too large.");
  try {
    await new Response(body, { headers: { "content-type": request.headers.get("content-type") ?? "" } }).formData();
    return null;
  } catch {
    return plain(400, "Bad request: the form could not be read.");
  }
}

/**
 * Every response gets the security headers; pages get a Content-Security-Policy with a fresh nonce
 * (Next.js reads it from the request headers and puts it on its scripts). Visitors without a
 * session cookie go to sign-in, remembering where they were going; the real check is the database
 * session in each page.
 */
export async function proxy(request: NextRequest) {
  const env = getEnv();
  const https = new URL(env.APP_URL).protocol === "https:";
  const { pathname, search } = request.nextUrl;
  const refusal = await refuseMalformed(request, new URL(env.APP_URL).origin);
  const headers = securityHeaders(refusal ? "/" : pathname, { https });
  if (refusal) return withHeaders(refusal, headers, NON_PAGE_CSP);

  const isApi = pathname.startsWith("/api/") || pathname.startsWith("/scim/");
  const hasSession = request.cookies.has(sessionCookieName());
  if (!hasSession && pathname.startsWith("/orgs")) {
    const url = request.nextUrl.clone();
    url.pathname = "/sign-in";
    url.search = `?callbackUrl=${encodeURIComponent(pathname + search)}`;
    return withHeaders(NextResponse.redirect(url), headers, NON_PAGE_CSP);
  }
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const csp = isApi ? NON_PAGE_CSP : contentSecurityPolicy(nonce, { dev: env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-pathname", pathname + search);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers, csp);
}

function withHeaders(response: NextResponse, headers: Record<string, string>, csp: string): NextResponse {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Everything but Next.js's static files (next.config.ts gives those their headers).
  matcher: ["/((?!_next/static|_next/image).*)"],
};
