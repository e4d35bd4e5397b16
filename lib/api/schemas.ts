import "server-only";
import { z } from "zod";
import {
  MAX_API_SAML_METADATA,
  ZConfirmName,
  ZDomainName,
  ZEmailEntries,
  ZOidcFields,
  ZOrgRole,
  ZProjectRole,
  ZSamlMetadataUrl,
  ZWebhookEventTypes,
  ZWebhookUrl,
  zName,
  zProjectGrants,
} from "@/lib/membership/schemas";

/**
 * The zod schemas of the HTTP API: the same objects validate requests (lib/api/handler.ts) and
 * generate the OpenAPI document (lib/api/openapi.ts). Nothing here holds a rule: ids are only
 * checked for size (scope and visibility are the domain's), addresses are parsed by the domain.
 */

export const ZCursor = z
  .string()
  .max(4000, "At most 4000 characters")
  .describe(
    "Where the page starts: the `next` (or `prev`) of an earlier answer of the same list, as given. " +
      "Without it, the first page. " +
      "A cursor this server did not make for this list is refused with 400 `INVALID_CURSOR`.",
  );
const LIMIT_WORDS = "A limit from 1 to 50";
// Query values arrive as text: only plain digits become a number, so "0x10" or " 5" stay refused.
export const ZLimit = z
  .preprocess(
    (v) => (typeof v === "string" && /^\d{1,4}$/.test(v) ? Number(v) : v),
    z.number({ error: LIMIT_WORDS }).int(LIMIT_WORDS).min(1, LIMIT_WORDS).max(50, LIMIT_WORDS),
  )
  .describe("Items per page, 1 to 50 (default 50).");
export const ZSearch = z.string().max(200, "At most 200 characters").describe("Only those whose name or email contains this text.");
export const ZSearchStart = z
  .string()
  .max(200, "At most 200 characters")
  .describe("Only those whose email or name starts with this text (case-insensitive).");

const ZDate = z.iso.datetime({ offset: false });

// ── Request bodies ──

const ZInviteEmails = ZEmailEntries.min(1).describe(
  "Addresses; each entry may hold several separated by commas or new lines (at most 50 in all).",
);

export const ZProjectName = z.object({ name: zName("project") });
export const ZProjectInvite = z.object({
  emails: ZInviteEmails,
  role: ZProjectRole,
});
export const ZOrgInvite = z.object({
  emails: ZInviteEmails,
  orgRole: ZOrgRole,
  projects: zProjectGrants(ZProjectRole).optional(),
});
export const ZProjectRoleChange = z.object({ role: ZProjectRole });
export const ZOrgRoleChange = z.object({ role: ZOrgRole });
export const ZSamlConnectionInput = z.object({
  name: zName("connection").describe("What people see: “Continue with <name>”. 1 to 80 characters."),
  metadataXml: z
    .string()
    .max(MAX_API_SAML_METADATA, `At most ${MAX_API_SAML_METADATA.toLocaleString("en-US")} characters: give larger metadata by its URL`)
    .optional()
    .describe("The identity provider's SAML 2.0 metadata (an EntityDescriptor). Give this or `metadataUrl`, not both."),
  metadataUrl: ZSamlMetadataUrl.optional().describe(
    "An https address the console fetches the metadata from (5 seconds, 1 MB at most). Give this or `metadataXml`.",
  ),
});
export const ZDomainClaim = z.object({
  domain: ZDomainName.describe("The domain, e.g. acme.com; stored lower-case, an international name in punycode."),
});
export const ZDeleteQuery = z.object({ confirmName: ZConfirmName.min(1).describe("The project's current name, to confirm.") });

// ── Responses ──

export const ZOrganization = z.object({ id: z.string(), name: z.string(), role: ZOrgRole });
export const ZOrganizationList = z.object({ items: z.array(ZOrganization) });
export const ZProject = z.object({ id: z.string(), name: z.string(), isDefault: z.boolean(), role: ZProjectRole.nullable() });
export const ZProjectList = z.object({ items: z.array(ZProject) });
export const ZProjectCreated = z.object({ id: z.string(), name: z.string() });
export const ZProjectRenamed = z.object({ name: z.string() });
export const ZProjectDeleted = z.object({ name: z.string(), removed: z.number().int(), revoked: z.number().int() });

const page = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int().describe("How many items the list holds: exact, or the cap when `capped` is set."),
    capped: z
      .literal(true)
      .optional()
      .describe(
        "Present when the list was counted only up to `total` and holds more (searches and pending invitations: 1,000; activity: 10,000).",
      ),
    start: z.number().int().describe("0-based position of the first item, as counted while paging from the start."),
    next: z.string().nullable().describe("The cursor of the next page (pass it as `cursor`); null on the last page."),
    prev: z.string().nullable().describe("The cursor of the previous page; null on the first page."),
    pageSize: z.number().int(),
  });

export const ZCollaborator = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  role: ZProjectRole,
  joinedAt: ZDate,
});
export const ZCollaboratorPage = page(ZCollaborator);
export const ZRoleChanged = z.object({ oldRole: z.string(), role: z.string() });
export const ZRemoved = z.object({ removed: z.string(), projects: z.number().int().optional() });

export const ZInvitation = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string().describe("On a project: the project role it grants there; on the organization: the organization role."),
  orgRole: ZOrgRole,
  grants: z
    .array(z.object({ projectId: z.string(), projectName: z.string(), role: ZProjectRole }))
    .describe("The projects it grants, with their roles (organization invitations; empty on a project list)."),
  invitedBy: z.string().nullable(),
  createdAt: ZDate,
  lastSentAt: ZDate,
  expiresAt: ZDate,
  isExpired: z.boolean(),
  delivery: z.enum(["sent", "sending", "retrying", "failed"]),
});
export const ZInvitationPage = page(ZInvitation);
export const ZInviteOutcome = z.object({
  email: z.string(),
  outcome: z.enum([
    "invited",
    "added",
    "already_collaborator",
    "already_member",
    "already_invited",
    "invalid",
    "limit_reached",
    "rate_limited",
  ]),
  invitationId: z.string().optional(),
  projects: z.array(z.string()).optional(),
  otherProject: z.string().nullable().optional(),
  reason: z.string().optional(),
  retryAfterSeconds: z.number().int().optional(),
});
export const ZInviteResults = z.object({ results: z.array(ZInviteOutcome) });
export const ZResent = z.object({ expiresAt: ZDate });
export const ZLink = z.object({ url: z.string(), expiresAt: ZDate });
export const ZRevoked = z.object({ status: z.literal("revoked") });

export const ZActivity = z.object({
  id: z.string(),
  action: z.string(),
  actorEmail: z.string().nullable(),
  actorApiKeyName: z.string().nullable().describe("Set when an API key made the change: the key is the actor."),
  actorConnectionName: z
    .string()
    .nullable()
    .describe("Set when a single sign-on connection made the change (someone joined through it): the connection is the actor."),
  targetEmail: z.string().nullable(),
  oldRole: z.string().nullable(),
  newRole: z.string().nullable(),
  projectName: z.string().nullable(),
  detail: z.string().nullable(),
  createdAt: ZDate,
});
export const ZActivityPage = page(ZActivity);

/** One record of the audit export: a CSV row (the header names these columns, empty for null) or one NDJSON line. */
export const ZActivityExportRecord = z
  .object({
    id: z.string().describe("The activity record's id."),
    createdAt: z.string().describe("When, in UTC with microseconds: 2026-12-01T09:30:00.123456Z."),
    action: z.string().describe("What was done, as a stable code (member.role_changed, invitation.created, …)."),
    description: z.string().describe("The sentence the console's activity page shows for it."),
    actorType: z.enum(["person", "api_key", "sso", "scim", "system"]).describe("Who made the change."),
    actorId: z.string().nullable().describe("The person who acted (for an API key: its creator)."),
    actorEmail: z.string().nullable(),
    actorApiKeyId: z.string().nullable(),
    actorApiKeyName: z.string().nullable(),
    actorConnectionName: z.string().nullable().describe("The single sign-on connection that made the change."),
    targetUserId: z.string().nullable(),
    targetEmail: z.string().nullable(),
    projectId: z.string().nullable().describe("Null for organization records, and once the project is deleted."),
    projectName: z.string().nullable().describe("The project's name now, or the one it had when it was deleted."),
    oldRole: z.string().nullable(),
    newRole: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .describe("One record of the audit export, oldest first.");
export { ZActivityExportQuery } from "@/lib/membership/schemas";

export const ZSamlConnection = z.object({
  id: z.string(),
  name: z.string(),
  idpEntityId: z.string().describe("The identity provider's entity id, read from its metadata: the issuer its assertions must name."),
  ssoUrl: z.string().describe("Where sign-ins are sent (HTTP-Redirect binding)."),
  metadataUrl: z.string().nullable().describe("Where the metadata was fetched from; null when it was given as XML."),
  certificates: z
    .array(z.object({ fingerprintSha256: z.string(), notAfter: ZDate }))
    .describe("The certificates assertions must be signed with."),
  enabled: z.boolean().describe("Off after a change of identity provider, address or certificate, until tested again in the console."),
  testedAt: ZDate.nullable(),
  sp: z
    .object({ acsUrl: z.string(), entityId: z.string(), metadataUrl: z.string() })
    .describe("What to enter in the identity provider: the ACS URL, the entity id (audience) and this console's metadata URL."),
});

export const ZOrgMember = z.object({
  userId: z.string(),
  name: z.string().nullable(),
  email: z.string(),
  role: ZOrgRole,
  projects: z.number().int(),
  joinedAt: ZDate,
});
export const ZOrgMemberPage = page(ZOrgMember);

export const ZDomain = z.object({
  id: z.string(),
  domain: z.string(),
  status: z.enum(["pending", "verified", "failed"]).describe("pending: waiting for the DNS record; verified; failed: see `failure`."),
  failure: z.string().nullable().describe("Why the last check did not verify it (or could not run), in words."),
  record: z
    .object({ type: z.literal("TXT"), name: z.string(), value: z.string() })
    .describe("The DNS TXT record that proves control: add it at the domain itself, with exactly this value."),
  verifiedAt: ZDate.nullable(),
  lastCheckedAt: ZDate.nullable(),
  nextCheckAt: ZDate.nullable().describe("When a scheduled check looks again; null once failed (check it by hand)."),
  createdAt: ZDate,
});
export const ZDomainList = z.object({ items: z.array(ZDomain) });
export const ZDomainRemoved = z.object({ removed: z.string() });

/** RFC 9457 problem details, with a stable machine code. */
export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum([
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "CONFLICT",
    "EXPIRED",
    "LAST_ADMIN",
    "LAST_OWNER",
    "RATE_LIMITED",
    "LIMIT_REACHED",
    "VALIDATION",
    "BAD_REQUEST",
    "INVALID_CURSOR",
    "IDEMPOTENCY_KEY_REUSED",
    "IDEMPOTENT_SECRET_NOT_KEPT",
    "METHOD_NOT_ALLOWED",
    "UNSUPPORTED_MEDIA_TYPE",
    "INTERNAL",
  ]),
  errors: z.record(z.string(), z.array(z.string())).optional(),
});
export type ProblemCode = z.infer<typeof ZProblem>["code"];

// ── Single sign-on (issue 19) ──

export const ZSsoSettingsChange = z.object({
  enabled: z.boolean().optional().describe("Switch the connection on (only once tested) or off; off also ends Require SSO."),
  requireSso: z.boolean().optional().describe("Require single sign-on for the verified domains (Owners keep email links, recorded)."),
  defaultGrants: zProjectGrants(ZProjectRole)
    .optional()
    .describe("The projects someone who joins through SSO is given, and as what; replaces the list."),
});
export const ZSsoUsage = z.object({ enabled: z.boolean(), requireSso: z.boolean() });
export const ZSsoSettings = z.object({
  connection: z
    .object({
      id: z.string(),
      kind: z.enum(["oidc", "saml"]),
      name: z.string(),
      enabled: z.boolean(),
      requireSso: z.boolean(),
      testedAt: ZDate.nullable(),
      oidcIssuer: z.string().nullable(),
      oidcClientId: z.string().nullable(),
      hasClientSecret: z.boolean().describe("Whether a client secret is stored; the secret itself is never shown again."),
      samlMetadataUrl: z.string().nullable(),
      samlIdpEntityId: z.string().nullable(),
      samlIdpSsoUrl: z.string().nullable(),
    })
    .nullable(),
  verifiedDomains: z.array(z.string()),
  defaultGrants: z.array(z.object({ projectId: z.string(), projectName: z.string(), role: ZProjectRole })),
});
export const ZSsoRemoved = z.object({ status: z.literal("removed") });

export const ZOidcConnectionSave = z.object({
  name: zName("connection").describe("What people see on the sign-in page (“Continue with …”), e.g. “Acme Okta”."),
  issuer: ZOidcFields.shape.issuer.describe(
    "The provider's issuer URL (https), e.g. https://acme.okta.com; its discovery document is read before saving.",
  ),
  clientId: ZOidcFields.shape.clientId.describe("The client ID the provider gave the application."),
  clientSecret: ZOidcFields.shape.clientSecret.describe(
    "Required to create the connection; omitted or blank on a change keeps the stored one. Never returned.",
  ),
});
export const ZOidcConnection = z.object({
  id: z.string(),
  name: z.string(),
  issuer: z.string().nullable(),
  clientId: z.string().nullable(),
  hasSecret: z.boolean().describe("Whether a client secret is stored; the secret itself is never shown again."),
  redirectUri: z.string().describe("The sign-in redirect URI to register at the provider."),
  enabled: z.boolean().describe("New provider values switch the connection off until it is tested again."),
  testedAt: ZDate.nullable(),
});

// ── Issue 22: webhook endpoints and the events they receive ──

export const ZWebhookEndpointCreate = z.object({
  url: ZWebhookUrl.describe("Where events are POSTed: https, on a public address."),
  eventTypes: ZWebhookEventTypes.describe("The events this endpoint receives."),
});
export const ZWebhookEndpointUpdate = z.object({
  url: ZWebhookUrl.optional().describe("A new URL; the signing secret stays."),
  eventTypes: ZWebhookEventTypes.optional().describe("The events this endpoint receives from now on."),
});
export const ZWebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  status: z
    .enum(["active", "failing"])
    .describe("failing: deliveries were retried for 24 hours without success; a delivered event makes it active again."),
  failingSince: ZDate.nullable(),
  previousSecretExpiresAt: ZDate.nullable().describe("During a rotation's 24-hour overlap: until then the previous secret signs too."),
  createdAt: ZDate,
});
export const ZWebhookEndpointList = z.object({ items: z.array(ZWebhookEndpoint) });
export const ZWebhookEndpointCreated = z.object({
  endpoint: ZWebhookEndpoint,
  secret: z
    .string()
    .describe("The signing secret (whsec_…), shown this once: a repeat with the same Idempotency-Key does not show it again."),
});
export const ZWebhookSecretRotated = z.object({
  secret: z.string().describe("The new signing secret, shown this once."),
  previousSecretExpiresAt: ZDate.describe("Until then deliveries carry a signature with the previous secret too."),
});
export const ZWebhookEndpointDeleted = z.object({ status: z.literal("deleted") });
export const ZWebhookDelivery = z.object({
  id: z.string(),
  eventId: z.string().describe("The event's id, sent as webhook-id: the same on every attempt and redelivery."),
  eventType: z.string(),
  status: z.enum(["pending", "sending", "delivered", "failed"]),
  attempts: z.number().int(),
  responseCode: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  responseBody: z.string().nullable().describe("The first 64 kB of the last answer, kept 7 days."),
  lastError: z.string().nullable(),
  lastAttemptAt: ZDate.nullable(),
  nextAttemptAt: ZDate.nullable(),
  createdAt: ZDate,
});
export const ZWebhookDeliveryList = z.object({ items: z.array(ZWebhookDelivery) });
export const ZWebhookDeliveryQueued = z.object({ deliveryId: z.string(), eventId: z.string() });

const ZEventActor = z
  .object({
    type: z.enum(["user", "api_key", "sso_connection", "scim", "system"]),
    id: z.string().nullable().describe("The user's, key's, connection's or SCIM token's id; null for the console itself."),
    email: z.string().nullable().describe("The person's address (for a key, its creator's)."),
  })
  .strict();
/** What a membership event carries under `data`. */
export const ZMembershipEventData = z
  .object({
    activityId: z.string().describe("The activity record of the change."),
    actor: ZEventActor,
    email: z.string().nullable().describe("The address the change is about (invitee, member, collaborator)."),
    userId: z.string().nullable().describe("Their account id, when they have one."),
    oldRole: z.string().nullable(),
    newRole: z.string().nullable(),
    project: z
      .object({ id: z.string().nullable(), name: z.string().nullable() })
      .strict()
      .nullable()
      .describe("Set for a project's change."),
  })
  .strict();
export const ZTestEventData = z.object({ endpointId: z.string(), message: z.string() }).strict();

/** The body of one event type, as POSTed (the OpenAPI document's `webhooks` section). */
export function zWebhookEvent(type: string, data: z.ZodType) {
  return z
    .object({
      id: z
        .string()
        .regex(/^msg_[0-9a-f]{32}$/)
        .describe("The event's stable id, also the webhook-id header: deduplicate on it."),
      type: z.literal(type),
      timestamp: ZDate.describe("When the change was made."),
      organizationId: z.string(),
      data,
    })
    .strict();
}
