import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

export const orgRoleEnum = pgEnum("org_role", ["owner", "member"]);
export const projectRoleEnum = pgEnum("project_role", ["admin", "read_write", "read_only"]);
// "expired" is not stored: it is a pending invitation whose expires_at has passed.
export const invitationStatusEnum = pgEnum("invitation_status", ["pending", "accepted", "revoked", "declined"]);
export const emailKindEnum = pgEnum("email_kind", ["sign_in", "invitation", "added_to_project", "webhook_failing"]);
// "cancelled": withdrawn before the provider accepted it (a resend replaced it, or the invitation was revoked).
export const emailStatusEnum = pgEnum("email_status", ["pending", "sending", "sent", "failed", "cancelled"]);

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

// ── Auth.js adapter tables (names and columns as @auth/drizzle-adapter expects) ──

export const users = pgTable(
  "users",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text("name"),
    email: text("email").notNull().unique(),
    emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
    image: text("image"),
    createdAt: createdAt(),
  },
  // ── Issue 10: search by the start of an address or a name (lists' `q`). text_pattern_ops lets
  // a btree answer `LIKE 'abc%'` whatever the database's collation; no extension needed.
  (t) => [
    index("users_email_prefix_idx").using("btree", sql`${t.email} text_pattern_ops`),
    index("users_name_prefix_idx").using("btree", sql`lower(${t.name}) text_pattern_ops`),
  ],
);

export const accounts = pgTable(
  "accounts",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_idx").on(t.userId)],
);

export const sessions = pgTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expires)],
);

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] }), index("verification_tokens_expires_idx").on(t.expires)],
);

// ── Organizations and projects ──

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const organizationMemberships = pgTable(
  "organization_memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: orgRoleEnum("role").notNull(),
    // The member's address, copied from users by a trigger (never written by the app), like
    // project_memberships.email: with the role it is the members list's order and its keyset.
    email: text("email"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("org_memberships_org_user_uq").on(t.orgId, t.userId),
    index("org_memberships_user_idx").on(t.userId),
    index("org_memberships_listing_idx").on(t.orgId, t.role, t.email),
  ],
);

/**
 * How many members an organization has in each role, kept exact by a trigger on
 * organization_memberships in the transaction that changes them (migration 0006): the members
 * list's total without a count(*) over the organization.
 */
export const orgRoleCounts = pgTable(
  "org_role_counts",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    role: orgRoleEnum("role").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.role] })],
);

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The project made with the organization; it cannot be deleted.
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
  },
  // (id, org_id) is unique so memberships can prove their project belongs to their organization.
  (t) => [
    unique("projects_id_org_uq").on(t.id, t.orgId),
    index("projects_org_idx").on(t.orgId),
    uniqueIndex("projects_one_default_per_org_uq")
      .on(t.orgId)
      .where(sql`${t.isDefault}`),
  ],
);

export const projectMemberships = pgTable(
  "project_memberships",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    userId: text("user_id").notNull(),
    // The effective role: the highest of direct_role and group_role (issue 20). Every guard reads this.
    role: projectRoleEnum("role").notNull(),
    // ── Issue 20 (SCIM): where the role comes from. direct_role is the role granted in the console
    // or by an invitation (null when the membership exists only through SCIM groups); group_role is
    // the highest role the person's SCIM groups map to this project (null: none). A row inserted
    // with neither is direct (a trigger sets direct_role = role), so every existing writer keeps
    // working; a CHECK keeps at least one source.
    directRole: projectRoleEnum("direct_role"),
    groupRole: projectRoleEnum("group_role"),
    // The member's address, copied from users by a trigger on every insert (never written by the
    // app): with the role it is the list's order, so one index serves a page at any project size.
    email: text("email"),
    createdAt: createdAt(),
  },
  (t) => [
    check("project_memberships_has_source_ck", sql`${t.directRole} is not null or ${t.groupRole} is not null`),
    unique("project_memberships_project_user_uq").on(t.projectId, t.userId),
    index("project_memberships_user_idx").on(t.userId),
    // The collaborators list's order (the role enum sorts admin, read-write, read-only) and the
    // admin count of the last-admin rule.
    index("project_memberships_listing_idx").on(t.projectId, t.role, t.email),
    foreignKey({
      name: "project_memberships_project_fk",
      columns: [t.projectId, t.orgId],
      foreignColumns: [projects.id, projects.orgId],
    }).onDelete("cascade"),
    // A collaborator is always an organization member: leaving the organization removes
    // every project membership there, enforced by the database itself.
    foreignKey({
      name: "project_memberships_org_member_fk",
      columns: [t.orgId, t.userId],
      foreignColumns: [organizationMemberships.orgId, organizationMemberships.userId],
    }).onDelete("cascade"),
  ],
);

/**
 * How many collaborators a project has in each role, kept exact by a trigger on
 * project_memberships in the transaction that changes them (migration 0006): the collaborators
 * list's total (and its total for one role) without a count(*) over the project.
 */
export const projectRoleCounts = pgTable(
  "project_role_counts",
  {
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    role: projectRoleEnum("role").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.role] })],
);

// ── Invitations ──

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // Trimmed and lower-cased before it is stored.
    email: text("email").notNull(),
    // The organization role the invitee joins with; the projects are in invitation_project_grants.
    orgRole: orgRoleEnum("org_role").notNull().default("member"),
    // SHA-256 of the raw token, base64url; the raw token exists only in the email.
    tokenHash: text("token_hash").notNull(),
    status: invitationStatusEnum("status").notNull().default("pending"),
    invitedById: text("invited_by_id").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    lastSentAt: timestamp("last_sent_at", { withTimezone: true, mode: "date" }).notNull(),
    resendCount: integer("resend_count").notNull().default(0),
    acceptedAt: timestamp("accepted_at", { withTimezone: true, mode: "date" }),
    acceptedById: text("accepted_by_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    declinedAt: timestamp("declined_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_uq").on(t.tokenHash),
    uniqueIndex("invitations_pending_org_email_uq")
      .on(t.orgId, t.email)
      .where(sql`${t.status} = 'pending'`),
    // The pending lists' order and keyset: newest first, the id breaking ties.
    index("invitations_org_status_idx").on(t.orgId, t.status, t.createdAt, t.id),
  ],
);

/**
 * The projects an invitation grants, a project role for each. A project invitation is an
 * organization invitation (role member) with one grant; an organization invitation has zero or more.
 */
export const invitationProjectGrants = pgTable(
  "invitation_project_grants",
  {
    invitationId: uuid("invitation_id")
      .notNull()
      .references(() => invitations.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    role: projectRoleEnum("role").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.invitationId, t.projectId] }),
    index("invitation_grants_project_idx").on(t.projectId, t.invitationId),
    foreignKey({
      name: "invitation_grants_project_fk",
      columns: [t.projectId, t.orgId],
      foreignColumns: [projects.id, projects.orgId],
    }).onDelete("cascade"),
  ],
);

// ── Email outbox ──

export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    to: text("to").notNull(),
    kind: emailKindEnum("kind").notNull(),
    // Everything the template needs; rendered at delivery time.
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: emailStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    // A claimed row is "sending" until this time; past it, a crashed sender's claim lapses.
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    lastError: text("last_error"),
    provider: text("provider"),
    providerMessageId: text("provider_message_id"),
    invitationId: uuid("invitation_id").references(() => invitations.id, { onDelete: "set null" }),
    sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
    index("email_outbox_invitation_idx").on(t.invitationId, t.createdAt),
    index("email_outbox_created_idx").on(t.createdAt),
  ],
);

// Messages delivered to the local mailbox (development and tests): the local stand-in for
// a recipient's inbox, so it holds the links; the outbox row is scrubbed once delivered.
export const mailboxMessages = pgTable(
  "mailbox_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    outboxId: uuid("outbox_id").notNull().unique(),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("mailbox_messages_created_idx").on(t.createdAt), index("mailbox_messages_to_idx").on(t.to)],
);

// ── Activity ──

export const activity = pgTable(
  "activity",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // A deleted project's history stays with the organization, named by projectName.
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "set null" }),
    projectName: text("project_name"),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    // Kept as text so the record survives the accounts it names.
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetEmail: text("target_email"),
    targetUserId: text("target_user_id"),
    oldRole: text("old_role"),
    newRole: text("new_role"),
    // What else a person needs to read the record (a project's former name, say).
    detail: text("detail"),
    // Set when the change was made through the HTTP API: the key is the actor (issue 12).
    actorApiKeyId: uuid("actor_api_key_id"),
    actorApiKeyName: text("actor_api_key_name"),
    // Set when a single sign-on connection made the change (just-in-time membership): the connection is the actor.
    actorConnectionId: uuid("actor_connection_id"),
    actorConnectionName: text("actor_connection_name"),
    // Set when SCIM provisioning made the change (issue 20): the token used; the activity reads "SCIM".
    actorScimTokenId: uuid("actor_scim_token_id"),
    createdAt: createdAt(),
  },
  (t) => [
    // The activity lists' order and keyset: newest first, the id breaking ties.
    index("activity_project_idx").on(t.projectId, t.createdAt, t.id),
    index("activity_org_idx").on(t.orgId, t.createdAt, t.id),
    // Deleting a user sets actor_id to null in their records: found through this, not a scan.
    index("activity_actor_idx").on(t.actorId),
  ],
);

// ── Rate limits (in the database so they hold across app instances) ──

export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    windowStart: timestamp("window_start", { withTimezone: true, mode: "date" }).notNull(),
    count: integer("count").notNull(),
    // End of the current window: past it the row means nothing and the sweeper deletes it.
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("rate_limits_expires_idx").on(t.expiresAt)],
);

export type OrgRole = (typeof orgRoleEnum.enumValues)[number];
export type ProjectRole = (typeof projectRoleEnum.enumValues)[number];
export type EmailKind = (typeof emailKindEnum.enumValues)[number];

// ── API keys and the HTTP API (issue 12) ──

export const apiKeyScopeEnum = pgEnum("api_key_scope", ["organization", "projects"]);

/**
 * Organization API keys. The secret is shown once; only its SHA-256 is stored. A key acts as
 * its creator, capped to what the key was given (see lib/membership/keys/authenticate-api-key.ts and projects/visible-projects.ts).
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The recognizable start of the secret, shown in the list ("mck_AbC12xYz").
    prefix: text("prefix").notNull(),
    // SHA-256 of the whole secret, hex.
    secretHash: text("secret_hash").notNull(),
    scope: apiKeyScopeEnum("scope").notNull(),
    // A deleted account's keys lose every power (no actor); leaving or removal from the
    // organization revokes the creator's keys there (revokeKeysOfCreator).
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdByEmail: text("created_by_email"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_uq").on(t.secretHash), index("api_keys_org_idx").on(t.orgId, t.createdAt)],
);

/** The projects a project-scoped key may act on, and as what (admin or read_only). */
export const apiKeyProjects = pgTable(
  "api_key_projects",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    role: projectRoleEnum("role").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.apiKeyId, t.projectId] }),
    foreignKey({
      name: "api_key_projects_project_fk",
      columns: [t.projectId, t.orgId],
      foreignColumns: [projects.id, projects.orgId],
    }).onDelete("cascade"),
  ],
);

/** Stored responses of POSTs by Idempotency-Key, per API key, for 24 hours. */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    apiKeyId: uuid("api_key_id")
      .notNull()
      .references(() => apiKeys.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    // SHA-256 of method, path and the body in canonical JSON: the same key with another request is refused.
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    // The answer's exact text as sent (JSON escapes every control character, so any answer fits), replayed byte for byte.
    body: text("body"),
    contentType: text("content_type").notNull().default("application/json"),
    // A success that carried a secret (an invitation link) is not kept: a repeat is told so instead of seeing the link again.
    bodyWithheld: boolean("body_withheld").notNull().default(false),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.key] }), index("api_idempotency_expires_idx").on(t.expiresAt)],
);

// ── Enterprise sign-in (issue 19) ──

export const domainStatusEnum = pgEnum("domain_status", ["pending", "verified", "failed"]);
export const ssoKindEnum = pgEnum("sso_kind", ["oidc", "saml"]);

/**
 * Domains an organization claims. Several organizations may claim the same name while it waits
 * for DNS, but only one can hold it verified (the partial unique index): the first whose TXT
 * record is found. A verified domain that stops verifying on a re-check becomes "failed" and is
 * trusted no more.
 */
export const orgDomains = pgTable(
  "org_domains",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // Lower-case, no trailing dot (acme.com).
    domain: text("domain").notNull(),
    // The value of the TXT record the console names ("mc-domain-verification=…"); public by design.
    verificationToken: text("verification_token").notNull(),
    status: domainStatusEnum("status").notNull().default("pending"),
    // Why the last check failed, in words a person can act on.
    failure: text("failure"),
    verifiedAt: timestamp("verified_at", { withTimezone: true, mode: "date" }),
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true, mode: "date" }),
    // When the worker checks it next (pending: soon and often; verified: now and then).
    nextCheckAt: timestamp("next_check_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [
    unique("org_domains_org_domain_uq").on(t.orgId, t.domain),
    uniqueIndex("org_domains_verified_uq")
      .on(t.domain)
      .where(sql`${t.status} = 'verified'`),
    index("org_domains_next_check_idx").on(t.nextCheckAt),
  ],
);

/**
 * An organization's single sign-on connection (one per organization), OpenID Connect or SAML 2.0.
 * The client secret is sealed with the app secret (lib/email/sealed.ts) and never shown again.
 */
export const ssoConnections = pgTable(
  "sso_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    kind: ssoKindEnum("kind").notNull(),
    // What people see: "Continue with Acme's single sign-on", and the actor name in the activity.
    name: text("name").notNull(),
    // OpenID Connect
    oidcIssuer: text("oidc_issuer"),
    oidcClientId: text("oidc_client_id"),
    oidcClientSecretSealed: text("oidc_client_secret_sealed"),
    // SAML 2.0: the identity provider's values, from its metadata (pasted XML or fetched from the URL).
    samlMetadataUrl: text("saml_metadata_url"),
    samlIdpEntityId: text("saml_idp_entity_id"),
    samlIdpSsoUrl: text("saml_idp_sso_url"),
    // PEM certificates the IdP signs with, newline-separated blocks (more than one during a rollover).
    samlIdpCertificates: text("saml_idp_certificates"),
    // Set when an Owner signed in through it with "Test connection"; required before it is enabled.
    testedAt: timestamp("tested_at", { withTimezone: true, mode: "date" }),
    enabled: boolean("enabled").notNull().default(false),
    // "Require SSO for verified domains": their addresses may not use email links (Owners keep them, recorded).
    requireSso: boolean("require_sso").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sso_connections_org_uq").on(t.orgId)],
);

/** The projects someone who joins through SSO is given, and as what. */
export const ssoDefaultGrants = pgTable(
  "sso_default_grants",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    role: projectRoleEnum("role").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.connectionId, t.projectId] }),
    foreignKey({
      name: "sso_default_grants_project_fk",
      columns: [t.projectId, t.orgId],
      foreignColumns: [projects.id, projects.orgId],
    }).onDelete("cascade"),
  ],
);

export const ssoPurposeEnum = pgEnum("sso_purpose", ["sign_in", "test"]);

/**
 * A sign-in through SSO in progress, from the redirect to the identity provider until its answer.
 * Keyed by SHA-256 of the state (OIDC) or relay state (SAML), which the browser also holds in a
 * cookie; taken once (deleted on use) so it holds across instances. The PKCE verifier is sealed.
 */
export const ssoAttempts = pgTable(
  "sso_attempts",
  {
    stateHash: text("state_hash").primaryKey(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    purpose: ssoPurposeEnum("purpose").notNull(),
    // Where to go after signing in (a same-site path).
    callbackPath: text("callback_path").notNull().default("/orgs"),
    // "Test connection": the Owner who started it.
    startedById: text("started_by_id").references(() => users.id, { onDelete: "cascade" }),
    codeVerifierSealed: text("code_verifier_sealed"),
    nonce: text("nonce"),
    // The SAML AuthnRequest ID; the response's InResponseTo must equal it.
    samlRequestId: text("saml_request_id"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sso_attempts_expires_idx").on(t.expiresAt)],
);

/** SAML assertion IDs already accepted, kept until the assertion expires: each is accepted once, on any instance. */
export const samlAssertionIds = pgTable(
  "saml_assertion_ids",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    assertionId: text("assertion_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.assertionId] }), index("saml_assertion_ids_expires_idx").on(t.expiresAt)],
);

export type DomainStatus = (typeof domainStatusEnum.enumValues)[number];
export type SsoKind = (typeof ssoKindEnum.enumValues)[number];

// ── SCIM 2.0 provisioning (issue 20) ──

/**
 * Bearer tokens an identity provider uses for /scim/v2/{orgId}. Only the SHA-256 of the secret is
 * stored; the secret is shown once. A token can do SCIM for its organization and nothing else.
 */
export const scimTokens = pgTable(
  "scim_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    // The recognizable start of the secret, shown in the list ("mcs_AbC12xYz").
    prefix: text("prefix").notNull(),
    // SHA-256 of the whole secret, hex.
    tokenHash: text("token_hash").notNull(),
    createdById: text("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdByEmail: text("created_by_email"),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [uniqueIndex("scim_tokens_token_hash_uq").on(t.tokenHash), index("scim_tokens_org_idx").on(t.orgId, t.createdAt)],
);

/**
 * The identity provider's view of a person in an organization. The SCIM id of a user is the
 * console user id (users.id); the row stays while the person is deactivated (active = false,
 * no organization membership) and goes with DELETE.
 */
export const scimUsers = pgTable(
  "scim_users",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    userName: text("user_name").notNull(),
    // The work address the provider sent (the account's sign-in address is users.email).
    email: text("email"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    displayName: text("display_name"),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.userId] }),
    // userName is unique per organization, case-insensitively (RFC 7643 §4.1.1: caseExact false).
    uniqueIndex("scim_users_org_user_name_uq").on(t.orgId, sql`lower(${t.userName})`),
    index("scim_users_org_external_idx").on(t.orgId, t.externalId),
    index("scim_users_org_email_idx").on(t.orgId, sql`lower(${t.email})`),
  ],
);

/** SCIM groups pushed by the identity provider; an Owner maps a group to project roles. */
export const scimGroups = pgTable(
  "scim_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    displayName: text("display_name").notNull(),
    externalId: text("external_id"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    unique("scim_groups_id_org_uq").on(t.id, t.orgId),
    uniqueIndex("scim_groups_org_display_name_uq").on(t.orgId, sql`lower(${t.displayName})`),
    index("scim_groups_org_external_idx").on(t.orgId, t.externalId),
  ],
);

/** Who is in a SCIM group (SCIM users of the group's organization). */
export const scimGroupMembers = pgTable(
  "scim_group_members",
  {
    groupId: uuid("group_id").notNull(),
    orgId: uuid("org_id").notNull(),
    userId: text("user_id").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.userId] }),
    index("scim_group_members_user_idx").on(t.orgId, t.userId),
    foreignKey({
      name: "scim_group_members_group_fk",
      columns: [t.groupId, t.orgId],
      foreignColumns: [scimGroups.id, scimGroups.orgId],
    }).onDelete("cascade"),
    foreignKey({
      name: "scim_group_members_user_fk",
      columns: [t.orgId, t.userId],
      foreignColumns: [scimUsers.orgId, scimUsers.userId],
    }).onDelete("cascade"),
  ],
);

/** The Owner's mapping "group → project role": members of the group hold at least this role there. */
export const scimGroupProjectRoles = pgTable(
  "scim_group_project_roles",
  {
    groupId: uuid("group_id").notNull(),
    orgId: uuid("org_id").notNull(),
    projectId: uuid("project_id").notNull(),
    role: projectRoleEnum("role").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.projectId] }),
    index("scim_group_project_roles_project_idx").on(t.projectId),
    foreignKey({
      name: "scim_group_project_roles_group_fk",
      columns: [t.groupId, t.orgId],
      foreignColumns: [scimGroups.id, scimGroups.orgId],
    }).onDelete("cascade"),
    foreignKey({
      name: "scim_group_project_roles_project_fk",
      columns: [t.projectId, t.orgId],
      foreignColumns: [projects.id, projects.orgId],
    }).onDelete("cascade"),
  ],
);

// ── Issue 22: webhooks ──

export const webhookEndpointStatusEnum = pgEnum("webhook_endpoint_status", ["active", "failing"]);
// "sending": claimed by a runner until locked_until; past it, a crashed runner's claim lapses.
export const webhookDeliveryStatusEnum = pgEnum("webhook_delivery_status", ["pending", "sending", "delivered", "failed"]);

/** An Owner's endpoint: where an organization's events are posted, signed with its secret. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    eventTypes: text("event_types").array().notNull(),
    // The signing secret (whsec_…), sealed with the app secret; never stored readable.
    secretSealed: text("secret_sealed").notNull(),
    // After a rotation the old secret keeps signing (beside the new one) until this time.
    previousSecretSealed: text("previous_secret_sealed"),
    previousSecretExpiresAt: timestamp("previous_secret_expires_at", { withTimezone: true, mode: "date" }),
    status: webhookEndpointStatusEnum("status").notNull().default("active"),
    failingSince: timestamp("failing_since", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_endpoints_org_idx").on(t.orgId, t.createdAt)],
);

/** One event: written in the transaction of the change, only when an endpoint wants it. */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    // The stable id receivers deduplicate on (webhook-id): msg_ + random.
    id: text("id").primaryKey(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    // The JSON body as sent; emptied after 7 days by pruning.
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_events_created_idx").on(t.createdAt)],
);

/** One event to one endpoint: the job row the runner claims, and the delivery log's line. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    status: webhookDeliveryStatusEnum("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
    // Retries stop at this time (a day after the event); then the delivery has failed.
    giveUpAt: timestamp("give_up_at", { withTimezone: true, mode: "date" }).notNull(),
    responseCode: integer("response_code"),
    durationMs: integer("duration_ms"),
    // The first 64 kB of the last answer (kept 7 days), or why there was none.
    responseBody: text("response_body"),
    lastError: text("last_error"),
    lastAttemptAt: timestamp("last_attempt_at", { withTimezone: true, mode: "date" }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt, t.id),
    index("webhook_deliveries_event_idx").on(t.eventId),
  ],
);
