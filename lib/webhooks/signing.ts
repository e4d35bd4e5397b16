import "server-only";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { openLink, sealContext, sealLink } from "@/lib/email/sealed";

/** A new signing secret in the Standard Webhooks form: whsec_ + 32 random bytes, base64. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

// Bound to the endpoint: a sealed secret copied onto another endpoint's row does not open.
const context = (endpointId: string) => sealContext("webhook-secret", endpointId);

/** The secret as stored: sealed with the app secret (AES-256-GCM), never readable in the database. */
export function sealWebhookSecret(secret: string, endpointId: string): string {
  return sealLink(secret, context(endpointId));
}

/** The secret back from its sealed form; throws SealError when it cannot be opened. */
export function openWebhookSecret(sealed: string, endpointId: string): string {
  return openLink(sealed, context(endpointId));
}

/**
 * The three Standard Webhooks headers for one attempt, signed by the `standardwebhooks` package
 * with every secret given (during a rotation's overlap the new and the old one: the signature
 * header then carries both, space-separated, and a receiver holding either accepts it).
 */
export function signWebhook(secrets: string[], id: string, at: Date, body: string): Record<string, string> {
  const signatures = secrets.map((s) => new Webhook(s).sign(id, at, body));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}
