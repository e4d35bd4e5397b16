import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** A fresh invitation token: 32 random bytes, base64url. Only its hash is ever stored. */
export function generateInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

/** SHA-256 of the token, base64url: the only form the database holds. */
export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

/** Tokens we issue are exactly 43 base64url characters; anything else is not worth a lookup. */
export function isWellFormedToken(token: unknown): token is string {
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token);
}
