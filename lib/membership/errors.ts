export type DomainErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "EXPIRED"
  | "LAST_ADMIN"
  | "LAST_OWNER"
  | "RATE_LIMITED"
  | "LIMIT_REACHED"
  | "INVALID"
  /** A list cursor that this server did not make for this list (damaged, forged, from another list). */
  | "INVALID_CURSOR";

/** An expected refusal, with a sentence a person can act on (and, for RATE_LIMITED, when to try again). */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what = "project") => new DomainError("NOT_FOUND", `This ${what} was not found, or you do not have access to it.`);

export const forbidden = (message = "You do not have permission to do that. Ask a Project Admin or an Organization Owner.") =>
  new DomainError("FORBIDDEN", message);

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
