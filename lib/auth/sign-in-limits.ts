import "server-only";
import type { Db } from "@/db/client";
import type { Env } from "@/lib/env";
import { inboxKey } from "@/lib/membership/email-limits";
import { consumeRateLimit, retryInWords } from "@/lib/rate-limit";

const CLIENT_WINDOW_MS = 15 * 60_000;
const GLOBAL_WINDOW_MS = 60_000;

export type SignInLimits = Pick<
  Env,
  | "SIGN_IN_LIMIT_PER_ADDRESS"
  | "SIGN_IN_ADDRESS_WINDOW_SECONDS"
  | "SIGN_IN_LIMIT_PER_CLIENT"
  | "SIGN_IN_LIMIT_GLOBAL_PER_MINUTE"
  | "TRUSTED_PROXY_HOPS"
>;

/**
 * The client's address as the outermost trusted proxy saw it: TRUSTED_PROXY_HOPS entries from the
 * right of X-Forwarded-For. With 0 hops (the default) no header is trusted and there is no
 * per-client key at all: a client could forge any header, and Next.js does not expose the socket
 * address to server actions. The per-address limit and the global ceiling still hold.
 */
export function clientKey(forwardedFor: string | null, trustedHops: number): string | null {
  if (trustedHops <= 0) return null;
  const hops =
    forwardedFor
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean) ?? [];
  // Fewer entries than trusted proxies means the request did not come through them all.
  return hops.length >= trustedHops ? (hops.at(-trustedHops) ?? null) : null;
}

class Refused extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly what: string,
  ) {
    super(what);
  }
}

/**
 * Counts one sign-in link against the limits, all or nothing (a refused request counts against
 * none): per inbox (case and +tag folded) in a short window, per client when a proxy tells us who
 * the client is, and a global ceiling per minute. The per-inbox window is short on purpose: a
 * stranger asking for links to your address holds you up for minutes at most, and every link they
 * caused went to you and still works.
 */
export async function consumeSignInAllowance(
  db: Db,
  input: { email: string; client: string | null },
  limits: SignInLimits,
  now: Date = new Date(),
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number; message: string }> {
  const checks = [
    {
      key: `sign-in:email:${inboxKey(input.email)}`,
      limit: limits.SIGN_IN_LIMIT_PER_ADDRESS,
      windowMs: limits.SIGN_IN_ADDRESS_WINDOW_SECONDS * 1000,
      what: "for this address",
    },
    ...(input.client
      ? [
          {
            key: `sign-in:client:${input.client}`,
            limit: limits.SIGN_IN_LIMIT_PER_CLIENT,
            windowMs: CLIENT_WINDOW_MS,
            what: "from your network",
          },
        ]
      : []),
    { key: "sign-in:global", limit: limits.SIGN_IN_LIMIT_GLOBAL_PER_MINUTE, windowMs: GLOBAL_WINDOW_MS, what: "just now" },
  ];
  try {
    await db.transaction(async (tx) => {
      for (const check of checks) {
        const verdict = await consumeRateLimit(tx as unknown as Db, check.key, check.limit, check.windowMs, now);
        if (!verdict.allowed) throw new Refused(verdict.retryAfterSeconds, check.what);
      }
    });
    return { allowed: true };
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    return {
      allowed: false,
      retryAfterSeconds: err.retryAfterSeconds,
      message: `Too many sign-in links were requested ${err.what}. Try again ${retryInWords(err.retryAfterSeconds)}; a link already sent to you still works.`,
    };
  }
}
