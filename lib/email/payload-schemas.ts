import { z } from "zod";
import type { EmailKind, EmailPayloads } from "./messages";

// Payloads come back from a jsonb column written by an older or newer deploy, so they are
// checked before rendering: a malformed one fails permanently instead of rendering "undefined".
const ZUrl = z.url({ protocol: /^https?$/ });
const ZIsoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date");

const schemas = {
  sign_in: z.object({ url: ZUrl, expiresAt: ZIsoDate }),
  invitation: z.object({
    url: ZUrl,
    inviterName: z.string(),
    inviterEmail: z.string().min(1),
    organizationName: z.string().min(1),
    projectName: z.string().min(1).optional(),
    projectAccess: z.string().min(1).optional(),
    roleLabel: z.string().min(1),
    expiresAt: ZIsoDate,
  }),
  added_to_project: z.object({
    url: ZUrl,
    inviterName: z.string(),
    inviterEmail: z.string().min(1),
    organizationName: z.string().min(1),
    projectName: z.string().min(1),
    roleLabel: z.string().min(1),
  }),
  webhook_failing: z.object({ url: ZUrl, organizationName: z.string().min(1), endpointUrl: z.string().min(1) }),
} satisfies { [K in EmailKind]: z.ZodType<EmailPayloads[K]> };

export class InvalidPayloadError extends Error {
  constructor(kind: string, detail: string) {
    super(`Invalid ${kind} email payload: ${detail}`);
    this.name = "InvalidPayloadError";
  }
}

/** Checks a stored payload against its kind; throws InvalidPayloadError naming the bad fields. */
export function parsePayload<K extends EmailKind>(kind: K, payload: unknown): EmailPayloads[K] {
  const schema = (schemas as Record<string, z.ZodType | undefined>)[kind];
  if (!schema) throw new InvalidPayloadError(String(kind), "unknown kind");
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new InvalidPayloadError(kind, parsed.error.issues.map((i) => `${i.path.join(".") || "payload"} ${i.message}`).join("; "));
  }
  return parsed.data as EmailPayloads[K];
}
