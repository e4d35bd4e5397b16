import "server-only";
import { hashBearerSecret } from "../bearer-secret";
import { forbidden } from "../errors";
import type { Actor } from "../types";

/** Every SCIM token starts with this (API keys start with "mck_"), so a leaked one is recognizable as ours. */
export const SCIM_TOKEN_PREFIX = "mcs_";
const TOKEN_SHAPE = /^mcs_[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a token, hex: the only form the database holds. */
export const hashScimToken = hashBearerSecret;

export function isWellFormedScimToken(token: unknown): token is string {
  return typeof token === "string" && TOKEN_SHAPE.test(token);
}

/** SCIM tokens are managed by people in the console: an API key cannot mint or revoke them. */
export function refuseKeysForScim(actor: Actor | null) {
  if (actor?.apiKey) throw forbidden("SCIM tokens are managed in the console by an Organization Owner.");
}
