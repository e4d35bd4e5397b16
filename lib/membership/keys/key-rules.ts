import "server-only";
import { hashBearerSecret } from "../bearer-secret";
import { DomainError, forbidden } from "../errors";
import type { Actor } from "../types";

/** Every secret starts with this, so a leaked key is recognizable (and scannable) as ours. */
export const API_KEY_PREFIX = "mck_";
const SECRET_SHAPE = /^mck_[A-Za-z0-9_-]{43}$/;

/** SHA-256 of a key's secret, hex: the only form the database holds. */
export const hashApiKeySecret = hashBearerSecret;

export function isWellFormedApiKey(secret: unknown): secret is string {
  return typeof secret === "string" && SECRET_SHAPE.test(secret);
}

export const invalid = (message: string, field: string) => new DomainError("INVALID", message, { [field]: [message] });

/** Keys are managed by people in the console; a key cannot mint or revoke keys. */
export function refuseKeys(actor: Actor | null) {
  if (actor?.apiKey) throw forbidden("API keys are managed in the console by an Organization Owner.");
}
