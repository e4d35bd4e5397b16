import "server-only";
import type { DomainErrorCode } from "@/lib/membership/errors";
import type { ProblemCode } from "./schemas";

const TITLES: Record<ProblemCode, string> = {
  UNAUTHENTICATED: "Unauthenticated",
  FORBIDDEN: "Forbidden",
  NOT_FOUND: "Not found",
  CONFLICT: "Conflict",
  EXPIRED: "Expired",
  LAST_ADMIN: "Last Project Admin",
  LAST_OWNER: "Last Organization Owner",
  RATE_LIMITED: "Too many requests",
  LIMIT_REACHED: "Limit reached",
  VALIDATION: "Invalid request",
  BAD_REQUEST: "Bad request",
  INVALID_CURSOR: "Invalid cursor",
  IDEMPOTENCY_KEY_REUSED: "Idempotency-Key reused",
  IDEMPOTENT_SECRET_NOT_KEPT: "Answer not kept",
  METHOD_NOT_ALLOWED: "Method not allowed",
  UNSUPPORTED_MEDIA_TYPE: "Unsupported media type",
  INTERNAL: "Internal error",
};

/** The HTTP status of a domain refusal, the same in both HTTP APIs; only a refused input differs (422 here, 400 in SCIM). */
export const REFUSAL_STATUS: Record<Exclude<DomainErrorCode, "INVALID">, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  EXPIRED: 409,
  LAST_ADMIN: 409,
  LAST_OWNER: 409,
  RATE_LIMITED: 429,
  LIMIT_REACHED: 409,
  INVALID_CURSOR: 400,
};

export const PROBLEM_STATUS: Record<ProblemCode, number> = {
  ...REFUSAL_STATUS,
  VALIDATION: 422,
  BAD_REQUEST: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENT_SECRET_NOT_KEPT: 409,
  METHOD_NOT_ALLOWED: 405,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
};

/** The domain's error codes as the API's stable machine codes (the domain's INVALID is VALIDATION). */
export function problemCodeOf(code: DomainErrorCode): ProblemCode {
  return code === "INVALID" ? "VALIDATION" : code;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  errors?: Record<string, string[]>;
}

/** An RFC 9457 problem body; `type` names the code so clients may also switch on it. */
export function problem(code: ProblemCode, detail: string, errors?: Record<string, string[]>): Problem {
  return {
    type: `/api/v1/problems#${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[code],
    status: PROBLEM_STATUS[code],
    detail,
    code,
    ...(errors ? { errors } : {}),
  };
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(p), {
    status: p.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}
