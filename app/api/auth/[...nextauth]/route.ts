import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/auth";

export const { GET } = handlers;

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
