import { z } from "zod";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { emailProblem, normalizeEmail } from "./email-list";
import { API_KEY_ROLES } from "./keys/key-rules";
import { zName } from "./names";
import { ORG_ROLES, PROJECT_ROLES } from "./roles";

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
