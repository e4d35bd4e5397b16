import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { getAppSecret } from "@/lib/secret";

const PREFIX = "sealed:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

function key(secret: string): Buffer {
  return createHash("sha256").update(`email-outbox-link:${secret}`).digest();
}

/** What a sealed link is bound to: copying it into another row (another recipient) breaks it. */
export function sealContext(kind: string, to: string): string {
  return `${kind}\n${to}`;
}

/** A sealed link that cannot be opened: another AUTH_SECRET, or a row that was tampered with. */
export class SealError extends Error {
  constructor() {
    super("The stored link cannot be opened: it was sealed with a different AUTH_SECRET, or the row was changed");
    this.name = "SealError";
  }
}

/**
 * Encrypts a token-bearing link (AES-256-GCM, bound to its message's kind and recipient) before
 * it is stored in the outbox, so the database never holds a usable invitation or sign-in token;
 * only the sent email does.
 */
export function sealLink(link: string, context: string, secret = getAppSecret()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(secret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(link, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The link back from sealLink; throws SealError when it cannot be opened. */
export function openLink(value: string, context: string, secret = getAppSecret()): string {
  if (!value.startsWith(PREFIX)) throw new SealError();
  const raw = Buffer.from(value.slice(PREFIX.length), "base64url");
  if (raw.length < IV_BYTES + TAG_BYTES) throw new SealError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(secret), raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    throw new SealError();
  }
}
