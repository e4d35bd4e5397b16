import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";
import { TOKEN_PAGE_REFERRER_POLICY } from "@/lib/http/security-headers";

/**
 * A GET of the email callback (a mail scanner fetching the link, or an old link) changes nothing:
 * it goes to the page whose button signs in, and the token stays usable.
 */
export async function GET(request: NextRequest) {
  const url = new URL(request.url);
  if (url.pathname.endsWith("/callback/email")) {
    const target = new URL("/sign-in/confirm", request.nextUrl.origin);
    target.search = url.search;
    return new Response(null, {
      status: 303,
      headers: { location: target.pathname + target.search, "referrer-policy": TOKEN_PAGE_REFERRER_POLICY },
    });
  }
  return handlers.GET(request);
}

/**
 * Sign-in link requests must go through the /sign-in form, where they are rate-limited; a direct
 * POST to the provider endpoint would skip that, so it is refused here.
 */
export async function POST(request: NextRequest) {
  if (new URL(request.url).pathname.endsWith("/signin/email")) {
    return new Response("Request sign-in links from /sign-in.", { status: 404 });
  }
  const response = await handlers.POST(request);
  return new URL(request.url).pathname.endsWith("/callback/email") ? sameSiteRedirect(response) : response;
}

/**
 * Auth.js may build its error redirect from the host it believes it runs on (localhost behind
 * `next start -H`), another origin than the page's: a browser then blocks the redirect after the
 * form's POST (CSP form-action 'self'). Every redirect of ours stays on this site, so a path is
 * the same target.
 */
function sameSiteRedirect(response: Response): Response {
  const location = response.headers.get("location");
  if (!location || location.startsWith("/")) return response;
  const target = new URL(location);
  const headers = new Headers(response.headers);
  headers.set("location", target.pathname + target.search);
  return new Response(response.body, { status: response.status, headers });
}
