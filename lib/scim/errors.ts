import { REFUSAL_STATUS } from "@/lib/api/problem";
import { isDomainError, type DomainError } from "@/lib/membership/errors";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const SCIM_CONTENT_TYPE = "application/scim+json";

/** The `scimType` values of RFC 7644 §3.12. */
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

/** An expected refusal of a SCIM request, answered as an RFC 7644 §3.12 error; nothing was changed. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly scimType?: ScimType,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export const badRequest = (detail: string, scimType: ScimType = "invalidValue") => new ScimError(400, detail, scimType);
export const scimNotFound = (detail = "There is no such resource.") => new ScimError(404, detail);

/** The SCIM error body (status is a string, as the RFC's examples and Okta and Entra expect). */
export function scimErrorBody(status: number, detail: string, scimType?: ScimType) {
  return { schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail };
}

const DOMAIN_STATUS: Record<DomainError["code"], number> = { ...REFUSAL_STATUS, INVALID: 400 };

/** A domain refusal as a SCIM error, its sentence as the detail; anything else is not ours to translate (null). */
export function scimErrorOf(err: unknown): ScimError | null {
  if (err instanceof ScimError) return err;
  if (!isDomainError(err)) return null;
  // In SCIM a CONFLICT is always a value already taken (a userName, an account, a displayName).
  const scimType: ScimType | undefined = err.code === "INVALID" ? "invalidValue" : err.code === "CONFLICT" ? "uniqueness" : undefined;
  const headers: Record<string, string> = err.retryAfterSeconds ? { "retry-after": String(err.retryAfterSeconds) } : {};
  return new ScimError(DOMAIN_STATUS[err.code], err.message, scimType, headers);
}
