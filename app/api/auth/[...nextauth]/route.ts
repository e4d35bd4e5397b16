import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";

/**
 * A GET of the email callback (a mail scanner fetching the link, or an old link) changes nothing:
 * it goes to the page whose button signs in, and the token stays usable.
 */
export async function GET(request: NextRequest) {
  const url = new URL(request.url);
  if (url.pathname.endsWith("/callback/email")) {
    const target = new URL("/sign-in/confirm", request.nextUrl.origin);
    target.search = url.search;
    return new Response(null, { status: 303, headers: { location: target.pathname + target.search, "referrer-policy": "no-referrer" } });
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
  return handlers.POST(request);
}
