import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { getAppSecret } from "@/lib/secret";

const PREFIX = "sealed:v1:";

function key(secret: string): Buffer {
  return createHash("sha256").update(`email-outbox-link:${secret}`).digest();
}

/**
 * Encrypts a token-bearing link (AES-256-GCM) before it is stored in the outbox, so the database
 * never holds a usable invitation or sign-in token; only the sent email does.
 */
export function sealLink(link: string, secret = getAppSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv);
  const body = Buffer.concat([cipher.update(link, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The link back from sealLink; plain links (rows written before sealing) pass through. */
export function openLink(value: string, secret = getAppSecret()): string {
  if (!value.startsWith(PREFIX)) return value;
  const raw = Buffer.from(value.slice(PREFIX.length), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", key(secret), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

export function isSealed(value: unknown): boolean {
  return typeof value === "string" && value.startsWith(PREFIX);
}
