import "server-only";
import type { Db } from "@/db/client";
import { consumeRateLimit, type RateLimitVerdict } from "@/lib/rate-limit";
import { problem, type Problem } from "./problem";

const WINDOW_MS = 60_000;

export interface ApiRateLimits {
  /** Requests per API key per minute. */
  perMinute: number;
  /** Requests per minute by all of an organization's keys together. */
  perOrganizationPerMinute: number;
}

export interface RateDecision {
  headers: Record<string, string>;
  /** Set when the request is refused (429). */
  refusal?: { problem: Problem; retryAfterSeconds: number };
}

interface Counted {
  policy: "per-key" | "per-organization";
  limit: number;
  verdict: RateLimitVerdict;
}

/**
 * Counts a request against its key's limit and then its organization's ceiling (a key over its
 * own limit does not use up the organization's). Without the ceiling an owner with N keys would
 * have N times the limit. The RateLimit headers report whichever is tighter for this request.
 */
export async function consumeApiRateLimits(
  db: Db,
  apiKey: { id: string; orgId: string },
  limits: ApiRateLimits,
  now: Date,
): Promise<RateDecision> {
  const key: Counted = {
    policy: "per-key",
    limit: limits.perMinute,
    verdict: await consumeRateLimit(db, `api:key:${apiKey.id}`, limits.perMinute, WINDOW_MS, now),
  };
  const org: Counted | null = key.verdict.allowed
    ? {
        policy: "per-organization",
        limit: limits.perOrganizationPerMinute,
        verdict: await consumeRateLimit(db, `api:org:${apiKey.orgId}`, limits.perOrganizationPerMinute, WINDOW_MS, now),
      }
    : null;
  const tighter = !org || !key.verdict.allowed ? key : !org.verdict.allowed || org.verdict.remaining < key.verdict.remaining ? org : key;
  const { policy, limit, verdict } = tighter;
  const headers = {
    "ratelimit-policy": `"${policy}";q=${limit};w=${WINDOW_MS / 1000}`,
    ratelimit: `"${policy}";r=${verdict.remaining};t=${verdict.retryAfterSeconds}`,
  };
  if (verdict.allowed) return { headers };
  const wait = verdict.retryAfterSeconds;
  const detail =
    policy === "per-key"
      ? `Too many requests with this API key: at most ${limit} a minute. Try again in ${wait} seconds.`
      : `Too many requests with this organization's API keys: at most ${limit} a minute for all its keys together. Try again in ${wait} seconds.`;
  return { headers, refusal: { problem: problem("RATE_LIMITED", detail), retryAfterSeconds: wait } };
}
