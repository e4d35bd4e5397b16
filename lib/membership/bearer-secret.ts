import "server-only";
import { createHash, randomBytes } from "node:crypto";

/** SHA-256 of a bearer secret (an API key, a SCIM token), hex: the only form the database holds (256 random bits, so no slow hash is needed). */
export function hashBearerSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/**
 * A new bearer secret: its tag (so a leaked one is recognizable as ours), then 32 random bytes in
 * base64url; `prefix` is what lists show of it, `hash` what is stored.
 */
export function mintBearerSecret(tag: string): { secret: string; prefix: string; hash: string } {
  const secret = tag + randomBytes(32).toString("base64url");
  return { secret, prefix: secret.slice(0, tag.length + 8), hash: hashBearerSecret(secret) };
}
