import type { ssoConnections } from "@/db/schema";

/** An organization's single sign-on connection as stored (the client secret sealed). */
export type SsoConnection = typeof ssoConnections.$inferSelect;

/** Who the identity provider says signed in: checked by the protocol library before it gets here. */
export interface SsoProfile {
  /** The provider's stable id for the person (OIDC `sub`, SAML NameID). */
  subject: string;
  /** The address the provider asserts, lower-cased by the protocol module. */
  email: string;
  name: string | null;
}

/** Why a sign-in through SSO stopped; /sign-in/error says each in words (lib/sso/finish.ts). */
export type SsoFailureReason =
  /** No attempt for this state (never started here, already used, older than ten minutes, or another browser's). */
  | "expired"
  /** The identity provider answered with an error, or could not be reached. */
  | "provider_error"
  /** The answer failed a check: signature, issuer, audience, recipient, validity, nonce, PKCE, InResponseTo… */
  | "invalid_response"
  /** An assertion or code already used once. */
  | "replayed"
  /** The provider sent no usable email address. */
  | "email_missing"
  /** The address is not in one of the organization's verified domains. */
  | "domain_not_verified"
  /** The connection was switched off or removed. */
  | "connection_disabled"
  /** Joining would pass the organization's seat limit. */
  | "seat_limit"
  /** "Test connection" must sign in as the Owner who started it. */
  | "test_mismatch";

/**
 * A sign-in through SSO that must stop. The person sees only the reason's sentence; `log` (never
 * holding a secret or a whole assertion) is what the server log gets.
 */
export class SsoError extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    readonly log?: string,
  ) {
    super(`SSO sign-in refused: ${reason}${log ? ` (${log})` : ""}`);
    this.name = "SsoError";
  }
}

/** The cookie that binds an OIDC attempt to the browser that started it (SameSite=Lax, httpOnly). */
export const SSO_STATE_COOKIE = "mc-sso-state";
