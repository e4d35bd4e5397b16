import { z } from "zod";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { emailProblem, normalizeEmail } from "./email-list";
import { zName } from "./names";
import { API_KEY_ROLES, ORG_ROLES, PROJECT_ROLES } from "./roles";

/**
 * The zod shapes the server actions and the HTTP API share, each written once. They check shape
 * and size only: scope, permissions and the address rules are the domain's.
 */

export { zName };

// Ids are checked for shape here and for scope in the domain (every query names the organization
// and project); a malformed id is "not found" there.
export const ZId = z.string().trim().min(1, "Missing id").max(100, "Invalid id");

export const ZOrgRole = z.enum(ORG_ROLES, { message: "Choose Organization Owner or Organization Member" });
export const ZProjectRole = z.enum(PROJECT_ROLES, { message: "Choose Project Admin, Project Read-Write or Project Read-Only" });
export const ZApiKeyRole = z.enum(API_KEY_ROLES, { message: "Choose Project Admin or Project Read-Only" });

/** Projects with a role in each (organization invitations, project-scoped keys). */
export const zProjectGrants = <R extends z.ZodType>(role: R) =>
  z.array(z.object({ projectId: ZId, role })).max(100, "Choose at most 100 projects");

/** A domain as typed ("Acme.com.", "bücher.de"); the domain normalizes and judges it. */
export const ZDomainName = z
  .string({ message: "Enter a domain" })
  .trim()
  .min(1, "Enter a domain, like acme.com")
  .max(300, "That domain is too long");

export const ZEmail = z
  .string({ message: "Enter your email address" })
  .max(1000, "That address is too long")
  .transform(normalizeEmail)
  .refine((e) => emailProblem(e) === null, { message: "Enter a valid email address, like name@example.com" });

// The list of addresses to invite: entries that may each hold several addresses, separated by
// commas or new lines. The domain parses them and refuses more than 50 addresses in all.
const MAX_EMAIL_TEXT = 20_000;
export const ZEmailEntries = z.array(z.string().max(1000)).max(200);
/** The invite dialogs' addresses: the pasted text as it is, or its entries; always entries once parsed. */
export const ZEmailList = z
  .union([
    z.string().max(MAX_EMAIL_TEXT, `That is too much text: paste at most ${MAX_EMAIL_TEXT.toLocaleString("en-US")} characters`),
    ZEmailEntries,
  ])
  .transform((emails) => (typeof emails === "string" ? [emails] : emails));

// ── Single sign-on connections ──

/**
 * An OpenID Connect provider's values as typed (console and API): the domain checks the issuer by
 * discovery and judges the client ID. A blank secret on a change keeps the stored one (the verb
 * decides; it is required to create).
 */
export const ZOidcFields = z.object({
  issuer: z.string({ message: "Enter the issuer URL of your identity provider." }).max(500, "At most 500 characters"),
  clientId: z.string({ message: "Enter the client ID." }).max(255, "At most 255 characters"),
  clientSecret: z.string().max(1000, "At most 1000 characters").nullish(),
});

/** The address a SAML identity provider's metadata is fetched from, as typed; the domain checks scheme and address. */
export const ZSamlMetadataUrl = z.string().trim().max(2048, "A URL has at most 2,048 characters");

/**
 * The most characters of SAML metadata XML given in the body (docs/product-rules.md, "SAML 2.0
 * connections"): each fits its body limit, 256 KiB for a server action (next.config.ts), 64 KiB
 * for the API (lib/api/handler.ts); larger metadata is given by its URL.
 */
export const MAX_CONSOLE_SAML_METADATA = 250_000;
export const MAX_API_SAML_METADATA = 60_000;

/** A project's name typed to confirm its deletion; the domain compares it. */
export const ZConfirmName = z.string({ message: "Type the project's name to confirm" }).max(200, "Type the project's name to confirm");

// ── Issue 22: webhook endpoints ──

/** An endpoint's URL as typed; the domain checks scheme and address. */
export const ZWebhookUrl = z
  .string({ message: "Enter the endpoint's URL" })
  .trim()
  .min(1, "Enter the endpoint's URL")
  .max(2000, "That URL is too long");

/** The events an endpoint wants: at least one. */
export const ZWebhookEventTypes = z
  .array(z.enum(SUBSCRIBABLE_EVENT_TYPES as [string, ...string[]], { message: "Choose events from the list" }))
  .min(1, "Choose at least one event")
  .max(SUBSCRIBABLE_EVENT_TYPES.length);

// ── Issue 22: the audit export ──

/** The most days one audit export covers: a year, a leap day included. */
export const ACTIVITY_EXPORT_MAX_DAYS = 366;
export const ACTIVITY_EXPORT_FORMATS = ["csv", "ndjson"] as const;
export type ActivityExportFormat = (typeof ACTIVITY_EXPORT_FORMATS)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/** An ISO 8601 instant as the export reads it: a date is midnight UTC; a date-time must name its offset (Z or ±hh:mm). */
export function exportInstant(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

const zExportBound = (name: "from" | "to", what: string) =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      message: `Give ${name} as an ISO 8601 date (2026-12-01) or date-time with its offset (2026-12-01T09:30:00Z)`,
    })
    .refine((v) => Number(v.slice(0, 4)) >= 1 && Number.isFinite(Date.parse(exportInstant(v))), {
      message: `${name} is not a real date`,
    })
    .describe(`${what} An ISO 8601 date (midnight UTC) or date-time with Z or an offset.`);

/**
 * The audit export's range and format, from a query string (console and API alike): `from`
 * included, `to` excluded, `from` ≤ `to`, at most ACTIVITY_EXPORT_MAX_DAYS days apart.
 */
export const ZActivityExportQuery = z
  .object({
    from: zExportBound("from", "Start of the range, included."),
    to: zExportBound("to", "End of the range, excluded (a record at exactly this instant is not in the file)."),
    format: z
      .enum(ACTIVITY_EXPORT_FORMATS, { message: "Choose the format csv or ndjson" })
      .default("csv")
      .describe("csv: RFC 4180 with a header row; ndjson: one JSON object per line."),
  })
  .superRefine((q, ctx) => {
    const from = Date.parse(exportInstant(q.from));
    const to = Date.parse(exportInstant(q.to));
    if (!Number.isFinite(from) || !Number.isFinite(to)) return;
    if (from > to) ctx.addIssue({ code: "custom", path: ["to"], message: "to must not be before from" });
    else if (to - from > ACTIVITY_EXPORT_MAX_DAYS * DAY_MS)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `One export covers at most ${ACTIVITY_EXPORT_MAX_DAYS} days: choose a shorter range and export the rest separately`,
      });
  });
