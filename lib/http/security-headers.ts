/**
 * The security headers of every response. Pure (no next/* imports) so they are unit-tested and
 * shared by proxy.ts and the route handlers that answer outside it.
 */

/**
 * Pages whose URLs carry a token (invitation and sign-in links) send a referrer only to this site
 * (`same-origin`), never to another. Not `no-referrer`: under it Chromium sends `Origin: null` with
 * a form the browser posts itself (before the page's script runs), and Next.js refuses that server
 * action as coming from another origin.
 */
export const TOKEN_PAGE_REFERRER_POLICY = "same-origin";

/** Pages whose URLs carry a token: invitation and sign-in links, and Auth.js's own. */
export function isTokenPath(pathname: string): boolean {
  return (
    pathname.startsWith("/invite/") || pathname === "/sign-in" || pathname.startsWith("/sign-in/") || pathname.startsWith("/api/auth/")
  );
}

/**
 * The Content-Security-Policy of a page: scripts only with this response's nonce (Next.js puts it
 * on its own scripts; 'strict-dynamic' lets them load their chunks), no eval outside development,
 * nothing may frame us, forms only post here. Styles allow inline attributes (Radix positions
 * popovers with style=""), which cannot run code.
 */
export function contentSecurityPolicy(nonce: string, options: { dev: boolean; https: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self'",
    "manifest-src 'self'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** Every header but the CSP, for a response to `pathname`. */
export function securityHeaders(pathname: string, options: { https: boolean }): Record<string, string> {
  return {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": isTokenPath(pathname) ? TOKEN_PAGE_REFERRER_POLICY : "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** The CSP of responses that are not pages (JSON, redirects, errors): nothing may load or frame them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Largest server action body we accept (next.config.ts gives Next.js the same limit). */
export const ACTION_BODY_LIMIT_BYTES = 256 * 1024;

/** Deepest nesting of a server action's JSON arguments that we accept; React's decoder recurses. */
export const MAX_ACTION_JSON_DEPTH = 64;

/**
 * Whether a server action body in React's JSON encoding is well-formed and shallow enough. Checked
 * iteratively over the text, before anything parses it recursively.
 */
export function isAcceptableActionJson(body: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > MAX_ACTION_JSON_DEPTH) return false;
    } else if (c === 93 || c === 125) depth--;
  }
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}
