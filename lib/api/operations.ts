import "server-only";
import { z } from "zod";
import type { Db } from "@/db/client";
import * as m from "@/lib/membership";
import * as S from "./schemas";

/**
 * Every operation of /api/v1: its route, its zod schemas (which validate the request and
 * generate the OpenAPI document) and the domain function it calls. No rule lives here: the
 * domain's guards, permission table, invariants and flood limits decide, as for the console.
 */
export interface OperationContext<Params extends string = string, Body = unknown, Query = Record<string, unknown>> {
  db: Db;
  actor: m.Actor;
  params: Record<Params, string>;
  query: Query;
  body: Body;
  baseUrl?: string;
  now?: Date;
}

export interface Operation {
  id: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** OpenAPI path template under /api/v1. */
  path: string;
  summary: string;
  tag:
    | "Organizations"
    | "Projects"
    | "Collaborators"
    | "Invitations"
    | "Organization members"
    | "Activity"
    | "Single sign-on"
    | "Verified domains"
    | "Webhooks";
  query?: z.ZodObject;
  body?: z.ZodObject;
  response: z.ZodType;
  status: 200 | 201;
  /** Whether a success may have queued emails (delivered after the response). */
  sendsEmail?: boolean;
  /** Whether a success carries a secret (an invitation link): never stored, so an Idempotency-Key cannot replay it. */
  revealsSecret?: boolean;
  /**
   * Set when a success is a file streamed in one of these content types (the audit export), each
   * with what it holds: `run` returns a `StreamedFile`, and `response` describes one record of it.
   */
  streams?: Record<string, string>;
  /** OpenAPI links from this operation's response to others (for stateful testing). */
  links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
  run(ctx: OperationContext): Promise<unknown>;
}

/** A file answered as it is read, never held whole: its type, the name to save it under and its bytes. */
export interface StreamedFile {
  contentType: string;
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/** The names in a path template: "/a/{orgId}/b/{projectId}" → "orgId" | "projectId". */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParams<Rest> : never;
type Parsed<S extends z.ZodObject | undefined, Missing> = S extends z.ZodObject ? z.output<S> : Missing;

/** An operation as written: `run` gets its path parameters, query and body with the types their schemas give. */
type OperationSpec<P extends string, B extends z.ZodObject | undefined, Q extends z.ZodObject | undefined> = Omit<
  Operation,
  "path" | "body" | "query" | "run"
> & {
  path: P;
  body?: B;
  query?: Q;
  run(ctx: OperationContext<PathParams<P>, Parsed<B, undefined>, Parsed<Q, Record<string, never>>>): Promise<unknown>;
};

/**
 * Declares an operation with typed input. The handler calls `run` only with the params matched
 * from `path` and the query and body that `query` and `body` parsed (lib/api/handler.ts), which is
 * why the table can hold every operation under the one erased `Operation` type.
 */
function defineOperation<P extends string, B extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
  spec: OperationSpec<P, B, Q>,
): Operation {
  return spec;
}

const ORG = "/organizations/{orgId}";
const PROJECT = `${ORG}/projects/{projectId}`;
const pageQuery = <Extra extends Record<string, z.ZodType>>(extra: Extra) => z.object({ cursor: S.ZCursor.optional(), ...extra });
const ids = (p: { orgId: string; projectId: string }) => ({ orgId: p.orgId, projectId: p.projectId });
const opts = (c: { now?: Date; baseUrl?: string }) => ({ now: c.now, baseUrl: c.baseUrl });

const invitationLinks = (prefix: "projectInvitation" | "orgInvitation") => ({
  [`${prefix}Resend`]: {
    operationId: `${prefix === "projectInvitation" ? "resendProjectInvitation" : "resendOrganizationInvitation"}`,
    parameters: { invitationId: "$response.body#/results/0/invitationId" },
  },
  [`${prefix}Link`]: {
    operationId: `${prefix === "projectInvitation" ? "copyProjectInvitationLink" : "copyOrganizationInvitationLink"}`,
    parameters: { invitationId: "$response.body#/results/0/invitationId" },
  },
  [`${prefix}Revoke`]: {
    operationId: `${prefix === "projectInvitation" ? "revokeProjectInvitation" : "revokeOrganizationInvitation"}`,
    parameters: { invitationId: "$response.body#/results/0/invitationId" },
  },
});

export const OPERATIONS: Operation[] = [
  defineOperation({
    id: "listOrganizations",
    method: "GET",
    path: "/organizations",
    summary: "The organization the key belongs to",
    tag: "Organizations",
    response: S.ZOrganizationList,
    status: 200,
    run: async (c) => ({ items: await m.listOrganizations(c.db, c.actor) }),
  }),
  defineOperation({
    id: "getOrganization",
    method: "GET",
    path: ORG,
    summary: "An organization and the key's role in it",
    tag: "Organizations",
    response: S.ZOrganization,
    status: 200,
    run: async (c) => {
      const o = await m.getOrganizationOverview(c.db, c.actor, { orgId: c.params.orgId });
      return { id: o.org.id, name: o.org.name, role: o.orgRole };
    },
  }),
  defineOperation({
    id: "listProjects",
    method: "GET",
    path: `${ORG}/projects`,
    summary: "Projects the key may see, by name",
    tag: "Projects",
    response: S.ZProjectList,
    status: 200,
    run: async (c) => ({ items: (await m.listProjects(c.db, c.actor, { orgId: c.params.orgId })).projects }),
  }),
  defineOperation({
    id: "createProject",
    method: "POST",
    path: `${ORG}/projects`,
    summary: "Create a project (Organization Owner keys)",
    tag: "Projects",
    body: S.ZProjectName,
    response: S.ZProjectCreated,
    status: 201,
    links: {
      listCollaborators: { operationId: "listCollaborators", parameters: { projectId: "$response.body#/id" } },
      renameProject: { operationId: "renameProject", parameters: { projectId: "$response.body#/id" } },
    },
    run: async (c) => {
      const { name } = c.body;
      const created = await m.createProject(c.db, c.actor, { orgId: c.params.orgId, name }, opts(c));
      return { id: created.id, name: name.trim() };
    },
  }),
  defineOperation({
    id: "renameProject",
    method: "PATCH",
    path: PROJECT,
    summary: "Rename a project (Organization Owner keys)",
    tag: "Projects",
    body: S.ZProjectName,
    response: S.ZProjectRenamed,
    status: 200,
    links: {
      deleteProject: {
        operationId: "deleteProject",
        parameters: { projectId: "$request.path.projectId", confirmName: "$response.body#/name" },
      },
    },
    run: (c) => m.renameProject(c.db, c.actor, { ...ids(c.params), name: c.body.name }, opts(c)),
  }),
  defineOperation({
    id: "deleteProject",
    method: "DELETE",
    path: PROJECT,
    summary: "Delete a project, confirmed by its name (Organization Owner keys; never the Default Project)",
    tag: "Projects",
    query: z.object({ confirmName: S.ZDeleteQuery.shape.confirmName }),
    response: S.ZProjectDeleted,
    status: 200,
    run: (c) => m.deleteProject(c.db, c.actor, { ...ids(c.params), confirmName: c.query.confirmName }, opts(c)),
  }),
  defineOperation({
    id: "listCollaborators",
    method: "GET",
    path: `${PROJECT}/collaborators`,
    summary: "A project's collaborators, admins first then by email",
    tag: "Collaborators",
    query: pageQuery({ limit: S.ZLimit.optional(), q: S.ZSearchStart.optional() }),
    response: S.ZCollaboratorPage,
    status: 200,
    run: (c) => m.listCollaborators(c.db, c.actor, { ...ids(c.params), cursor: c.query.cursor, pageSize: c.query.limit, q: c.query.q }),
  }),
  defineOperation({
    id: "changeCollaboratorRole",
    method: "PATCH",
    path: `${PROJECT}/collaborators/{userId}`,
    summary: "Give a collaborator another project role",
    tag: "Collaborators",
    body: S.ZProjectRoleChange,
    response: S.ZRoleChanged,
    status: 200,
    run: (c) => m.changeRole(c.db, c.actor, { ...ids(c.params), userId: c.params.userId, role: c.body.role }, opts(c)),
  }),
  defineOperation({
    id: "removeCollaborator",
    method: "DELETE",
    path: `${PROJECT}/collaborators/{userId}`,
    summary: "Remove a collaborator from a project",
    tag: "Collaborators",
    response: S.ZRemoved,
    status: 200,
    run: (c) => m.removeCollaborator(c.db, c.actor, { ...ids(c.params), userId: c.params.userId }, opts(c)),
  }),
  defineOperation({
    id: "listProjectInvitations",
    method: "GET",
    path: `${PROJECT}/invitations`,
    summary: "A project's pending invitations, newest first",
    tag: "Invitations",
    query: pageQuery({}),
    response: S.ZInvitationPage,
    status: 200,
    run: (c) => m.listPendingInvitations(c.db, c.actor, { ...ids(c.params), cursor: c.query.cursor }, opts(c)),
  }),
  defineOperation({
    id: "inviteToProject",
    method: "POST",
    path: `${PROJECT}/invitations`,
    summary: "Invite 1–50 addresses to a project with one role; one outcome per address",
    tag: "Invitations",
    body: S.ZProjectInvite,
    response: S.ZInviteResults,
    status: 200,
    sendsEmail: true,
    links: invitationLinks("projectInvitation"),
    run: async (c) => {
      const { emails, role } = c.body;
      return { results: await m.inviteUsers(c.db, c.actor, { ...ids(c.params), emails, role }, opts(c)) };
    },
  }),
  defineOperation({
    id: "resendProjectInvitation",
    method: "POST",
    path: `${PROJECT}/invitations/{invitationId}/resend`,
    summary: "Send an invitation again with a new link",
    tag: "Invitations",
    response: S.ZResent,
    status: 200,
    sendsEmail: true,
    run: (c) => m.resendInvitation(c.db, c.actor, { ...ids(c.params), invitationId: c.params.invitationId }, opts(c)),
  }),
  defineOperation({
    id: "copyProjectInvitationLink",
    method: "POST",
    path: `${PROJECT}/invitations/{invitationId}/link`,
    summary: "Issue a new invitation link without email (the old link stops working)",
    tag: "Invitations",
    response: S.ZLink,
    status: 200,
    revealsSecret: true,
    run: (c) => m.copyInvitationLink(c.db, c.actor, { ...ids(c.params), invitationId: c.params.invitationId }, opts(c)),
  }),
  defineOperation({
    id: "revokeProjectInvitation",
    method: "DELETE",
    path: `${PROJECT}/invitations/{invitationId}`,
    summary: "Revoke a pending invitation",
    tag: "Invitations",
    response: S.ZRevoked,
    status: 200,
    run: (c) => m.revokeInvitation(c.db, c.actor, { ...ids(c.params), invitationId: c.params.invitationId }, opts(c)),
  }),
  defineOperation({
    id: "listProjectActivity",
    method: "GET",
    path: `${PROJECT}/activity`,
    summary: "A project's membership activity, newest first",
    tag: "Activity",
    query: pageQuery({}),
    response: S.ZActivityPage,
    status: 200,
    run: (c) => m.listActivity(c.db, c.actor, { ...ids(c.params), cursor: c.query.cursor }),
  }),
  defineOperation({
    id: "listOrganizationMembers",
    method: "GET",
    path: `${ORG}/members`,
    summary: "An organization's members, owners first then by email",
    tag: "Organization members",
    query: pageQuery({ q: S.ZSearch.optional() }),
    response: S.ZOrgMemberPage,
    status: 200,
    run: (c) => m.listOrganizationMembers(c.db, c.actor, { orgId: c.params.orgId, cursor: c.query.cursor, q: c.query.q }),
  }),
  defineOperation({
    id: "changeOrganizationRole",
    method: "PATCH",
    path: `${ORG}/members/{userId}`,
    summary: "Give a member another organization role (never the last Owner away)",
    tag: "Organization members",
    body: S.ZOrgRoleChange,
    response: S.ZRoleChanged,
    status: 200,
    run: (c) => m.changeOrganizationRole(c.db, c.actor, { orgId: c.params.orgId, userId: c.params.userId, role: c.body.role }, opts(c)),
  }),
  defineOperation({
    id: "removeOrganizationMember",
    method: "DELETE",
    path: `${ORG}/members/{userId}`,
    summary: "Remove someone from the organization, with every project role they held",
    tag: "Organization members",
    response: S.ZRemoved,
    status: 200,
    run: (c) => m.removeOrganizationMember(c.db, c.actor, { orgId: c.params.orgId, userId: c.params.userId }, opts(c)),
  }),
  defineOperation({
    id: "listOrganizationInvitations",
    method: "GET",
    path: `${ORG}/invitations`,
    summary: "An organization's pending invitations with their project grants",
    tag: "Organization members",
    query: pageQuery({}),
    response: S.ZInvitationPage,
    status: 200,
    run: (c) => m.listOrganizationInvitations(c.db, c.actor, { orgId: c.params.orgId, cursor: c.query.cursor }, opts(c)),
  }),
  defineOperation({
    id: "inviteToOrganization",
    method: "POST",
    path: `${ORG}/invitations`,
    summary: "Invite 1–50 addresses to the organization with a role and optional project access",
    tag: "Organization members",
    body: S.ZOrgInvite,
    response: S.ZInviteResults,
    status: 200,
    sendsEmail: true,
    links: invitationLinks("orgInvitation"),
    run: async (c) => {
      const { emails, orgRole, projects } = c.body;
      return {
        results: await m.inviteToOrganization(c.db, c.actor, { orgId: c.params.orgId, emails, orgRole, projects: projects ?? [] }, opts(c)),
      };
    },
  }),
  defineOperation({
    id: "resendOrganizationInvitation",
    method: "POST",
    path: `${ORG}/invitations/{invitationId}/resend`,
    summary: "Send an organization invitation again with a new link",
    tag: "Organization members",
    response: S.ZResent,
    status: 200,
    sendsEmail: true,
    run: (c) => m.resendOrganizationInvitation(c.db, c.actor, { orgId: c.params.orgId, invitationId: c.params.invitationId }, opts(c)),
  }),
  defineOperation({
    id: "copyOrganizationInvitationLink",
    method: "POST",
    path: `${ORG}/invitations/{invitationId}/link`,
    summary: "Issue a new organization invitation link without email",
    tag: "Organization members",
    response: S.ZLink,
    status: 200,
    revealsSecret: true,
    run: (c) => m.copyOrganizationInvitationLink(c.db, c.actor, { orgId: c.params.orgId, invitationId: c.params.invitationId }, opts(c)),
  }),
  defineOperation({
    id: "revokeOrganizationInvitation",
    method: "DELETE",
    path: `${ORG}/invitations/{invitationId}`,
    summary: "Revoke an organization invitation",
    tag: "Organization members",
    response: S.ZRevoked,
    status: 200,
    run: (c) => m.revokeOrganizationInvitation(c.db, c.actor, { orgId: c.params.orgId, invitationId: c.params.invitationId }, opts(c)),
  }),
  defineOperation({
    id: "listOrganizationActivity",
    method: "GET",
    path: `${ORG}/activity`,
    summary: "The whole organization's activity, newest first (Organization Owner keys)",
    tag: "Activity",
    query: pageQuery({}),
    response: S.ZActivityPage,
    status: 200,
    run: (c) => m.listOrganizationActivity(c.db, c.actor, { orgId: c.params.orgId, cursor: c.query.cursor }),
  }),
  defineOperation({
    id: "exportOrganizationActivity",
    method: "GET",
    path: `${ORG}/activity/export`,
    summary:
      "The organization's activity from `from` (included) to `to` (excluded) as CSV or NDJSON, oldest first, streamed (Organization Owner keys)",
    tag: "Activity",
    query: S.ZActivityExportQuery,
    response: S.ZActivityExportRecord,
    streams: {
      "text/csv":
        "RFC 4180 (CRLF line ends), a header row naming the columns, then one row per record; empty for null. " +
        "A cell that would start with =, +, -, @, a tab or a carriage return starts with an apostrophe instead, so no spreadsheet runs it as a formula.",
      "application/x-ndjson": "One JSON object per line, each a record of this schema; an empty range is an empty body.",
    },
    status: 200,
    run: (c): Promise<StreamedFile> => m.exportOrganizationActivity(c.db, c.actor, { orgId: c.params.orgId, ...c.query }),
  }),
  defineOperation({
    id: "saveSamlConnection",
    method: "PUT",
    path: `${ORG}/sso/saml`,
    summary:
      "Connect the organization to a SAML 2.0 identity provider from its metadata, or replace the connection's values (Organization Owner keys)",
    tag: "Single sign-on",
    body: S.ZSamlConnectionInput,
    response: S.ZSamlConnection,
    status: 200,
    run: (c) => m.saveSamlConnection(c.db, c.actor, { orgId: c.params.orgId, ...c.body }, opts(c)),
  }),
  defineOperation({
    id: "getSsoSettings",
    method: "GET",
    path: `${ORG}/sso`,
    summary: "The organization's single sign-on connection (no secret), verified domains and default project access (Owner keys)",
    tag: "Single sign-on",
    response: S.ZSsoSettings,
    status: 200,
    run: async (c) => {
      const { connection, verifiedDomains, defaultGrants } = await m.getSsoSettings(c.db, c.actor, { orgId: c.params.orgId });
      return {
        connection: connection && {
          id: connection.id,
          kind: connection.kind,
          name: connection.name,
          enabled: connection.enabled,
          requireSso: connection.requireSso,
          testedAt: connection.testedAt?.toISOString() ?? null,
          oidcIssuer: connection.oidcIssuer,
          oidcClientId: connection.oidcClientId,
          hasClientSecret: connection.hasClientSecret,
          samlMetadataUrl: connection.samlMetadataUrl,
          samlIdpEntityId: connection.samlIdpEntityId,
          samlIdpSsoUrl: connection.samlIdpSsoUrl,
        },
        verifiedDomains,
        defaultGrants,
      };
    },
  }),
  defineOperation({
    id: "saveOidcConnection",
    method: "PUT",
    path: `${ORG}/sso/oidc`,
    summary: "Connect the organization to an OpenID Connect provider, or change its values; the issuer must answer discovery (Owner keys)",
    tag: "Single sign-on",
    body: S.ZOidcConnectionSave,
    response: S.ZOidcConnection,
    status: 200,
    run: async (c) => {
      const saved = await m.saveOidcConnection(c.db, c.actor, { orgId: c.params.orgId, ...c.body }, opts(c));
      return { ...saved, testedAt: saved.testedAt?.toISOString() ?? null };
    },
  }),
  defineOperation({
    id: "updateSsoSettings",
    method: "PATCH",
    path: `${ORG}/sso`,
    summary: "Switch single sign-on on or off, Require SSO, default project access (Owner keys)",
    tag: "Single sign-on",
    body: S.ZSsoSettingsChange,
    response: S.ZSsoUsage,
    status: 200,
    run: (c) => m.updateSsoSettings(c.db, c.actor, { orgId: c.params.orgId, ...c.body }, opts(c)),
  }),
  defineOperation({
    id: "removeSsoConnection",
    method: "DELETE",
    path: `${ORG}/sso`,
    summary: "Remove the organization's single sign-on connection (Owner keys)",
    tag: "Single sign-on",
    response: S.ZSsoRemoved,
    status: 200,
    run: (c) => m.removeSsoConnection(c.db, c.actor, { orgId: c.params.orgId }, opts(c)),
  }),
  defineOperation({
    id: "listDomains",
    method: "GET",
    path: `${ORG}/domains`,
    summary: "The organization's domains, verified or not, by name (Organization Owner keys)",
    tag: "Verified domains",
    response: S.ZDomainList,
    status: 200,
    run: async (c) => ({ items: await m.listDomains(c.db, c.actor, { orgId: c.params.orgId }) }),
  }),
  defineOperation({
    id: "claimDomain",
    method: "POST",
    path: `${ORG}/domains`,
    summary: "Claim a domain; the answer names the DNS TXT record that proves it (Organization Owner keys)",
    tag: "Verified domains",
    body: S.ZDomainClaim,
    response: S.ZDomain,
    status: 201,
    links: {
      checkDomain: { operationId: "checkDomain", parameters: { domainId: "$response.body#/id" } },
      removeDomain: { operationId: "removeDomain", parameters: { domainId: "$response.body#/id" } },
    },
    run: (c) => m.claimDomain(c.db, c.actor, { orgId: c.params.orgId, domain: c.body.domain }, opts(c)),
  }),
  defineOperation({
    id: "checkDomain",
    method: "POST",
    path: `${ORG}/domains/{domainId}/check`,
    summary: "Look the domain's TXT record up now and record the outcome (Organization Owner keys)",
    tag: "Verified domains",
    response: S.ZDomain,
    status: 200,
    run: (c) => m.checkDomain(c.db, c.actor, { orgId: c.params.orgId, domainId: c.params.domainId }, opts(c)),
  }),
  defineOperation({
    id: "removeDomain",
    method: "DELETE",
    path: `${ORG}/domains/{domainId}`,
    summary: "Remove a domain from the organization (Organization Owner keys)",
    tag: "Verified domains",
    response: S.ZDomainRemoved,
    status: 200,
    run: (c) => m.removeDomain(c.db, c.actor, { orgId: c.params.orgId, domainId: c.params.domainId }, opts(c)),
  }),
  // ── Issue 22: webhook endpoints (Organization Owner keys) ──
  defineOperation({
    id: "listWebhookEndpoints",
    method: "GET",
    path: `${ORG}/webhooks`,
    summary: "The organization's webhook endpoints, newest first, without their secrets (Organization Owner keys)",
    tag: "Webhooks",
    response: S.ZWebhookEndpointList,
    status: 200,
    // An endpoint's URL may carry the receiver's own credential (a Slack-style hook path).
    revealsSecret: true,
    run: async (c) => ({ items: await m.listWebhookEndpoints(c.db, c.actor, { orgId: c.params.orgId }, opts(c)) }),
  }),
  defineOperation({
    id: "createWebhookEndpoint",
    method: "POST",
    path: `${ORG}/webhooks`,
    summary: "Add a webhook endpoint; its signing secret is in the answer, shown once",
    tag: "Webhooks",
    body: S.ZWebhookEndpointCreate,
    response: S.ZWebhookEndpointCreated,
    status: 201,
    revealsSecret: true,
    links: {
      listWebhookDeliveries: { operationId: "listWebhookDeliveries", parameters: { endpointId: "$response.body#/endpoint/id" } },
      sendTestWebhook: { operationId: "sendTestWebhook", parameters: { endpointId: "$response.body#/endpoint/id" } },
    },
    run: (c) => m.createWebhookEndpoint(c.db, c.actor, { orgId: c.params.orgId, url: c.body.url, eventTypes: c.body.eventTypes }, opts(c)),
  }),
  defineOperation({
    id: "updateWebhookEndpoint",
    method: "PATCH",
    path: `${ORG}/webhooks/{endpointId}`,
    summary: "Change a webhook endpoint's URL or events",
    tag: "Webhooks",
    body: S.ZWebhookEndpointUpdate,
    response: S.ZWebhookEndpoint,
    status: 200,
    revealsSecret: true,
    run: (c) => m.updateWebhookEndpoint(c.db, c.actor, { orgId: c.params.orgId, endpointId: c.params.endpointId, ...c.body }, opts(c)),
  }),
  defineOperation({
    id: "deleteWebhookEndpoint",
    method: "DELETE",
    path: `${ORG}/webhooks/{endpointId}`,
    summary: "Delete a webhook endpoint and its delivery log",
    tag: "Webhooks",
    response: S.ZWebhookEndpointDeleted,
    status: 200,
    run: (c) => m.deleteWebhookEndpoint(c.db, c.actor, { orgId: c.params.orgId, endpointId: c.params.endpointId }),
  }),
  defineOperation({
    id: "rotateWebhookSecret",
    method: "POST",
    path: `${ORG}/webhooks/{endpointId}/rotate-secret`,
    summary: "Give a webhook endpoint a new signing secret (shown once); the old one also signs for 24 hours",
    tag: "Webhooks",
    response: S.ZWebhookSecretRotated,
    status: 200,
    revealsSecret: true,
    run: (c) => m.rotateWebhookSecret(c.db, c.actor, { orgId: c.params.orgId, endpointId: c.params.endpointId }, opts(c)),
  }),
  defineOperation({
    id: "listWebhookDeliveries",
    method: "GET",
    path: `${ORG}/webhooks/{endpointId}/deliveries`,
    summary: "A webhook endpoint's newest 100 deliveries: status, attempts, response code, duration",
    tag: "Webhooks",
    response: S.ZWebhookDeliveryList,
    status: 200,
    run: async (c) => ({ items: await m.listWebhookDeliveries(c.db, c.actor, { orgId: c.params.orgId, endpointId: c.params.endpointId }) }),
  }),
  defineOperation({
    id: "redeliverWebhook",
    method: "POST",
    path: `${ORG}/webhooks/{endpointId}/deliveries/{deliveryId}/redeliver`,
    summary: "Send a delivery's event again (same event id), as a new delivery",
    tag: "Webhooks",
    response: S.ZWebhookDeliveryQueued,
    status: 201,
    run: (c) =>
      m.redeliverWebhook(
        c.db,
        c.actor,
        { orgId: c.params.orgId, endpointId: c.params.endpointId, deliveryId: c.params.deliveryId },
        opts(c),
      ),
  }),
  defineOperation({
    id: "sendTestWebhook",
    method: "POST",
    path: `${ORG}/webhooks/{endpointId}/test`,
    summary: "Send a webhook.test event to this endpoint only",
    tag: "Webhooks",
    response: S.ZWebhookDeliveryQueued,
    status: 201,
    run: (c) => m.sendTestWebhook(c.db, c.actor, { orgId: c.params.orgId, endpointId: c.params.endpointId }, opts(c)),
  }),
];

/** Finds the operation for a method and a path below /api/v1, with its path parameters. */
export function matchOperation(
  method: string,
  path: string,
): { op: Operation; params: Record<string, string> } | { allowed: string[] } | null {
  const segments = path.split("/").filter(Boolean);
  const allowed: string[] = [];
  for (const op of OPERATIONS) {
    const template = op.path.split("/").filter(Boolean);
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < template.length && ok; i++) {
      const t = template[i]!;
      let s: string;
      try {
        s = decodeURIComponent(segments[i]!);
      } catch {
        return null;
      }
      if (t.startsWith("{")) params[t.slice(1, -1)] = s;
      else ok = t === s;
    }
    if (!ok) continue;
    if (op.method === method) return { op, params };
    allowed.push(op.method);
  }
  return allowed.length ? { allowed } : null;
}
