import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONS } from "@/lib/api/operations";
import * as m from "@/lib/membership";
import { setDnsServersForTests } from "@/lib/dns/resolve-txt";
import { startTxtDnsServer, type TxtDnsServer } from "../dns/txt-dns-server";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, snapshot, uniqueEmail, worldOrgIds, type World } from "../membership/fixtures";
import { startOidcProvider, type TestOidcProvider } from "../sso/oidc-provider";
import { api, KEY_KINDS, makeKeys, type KeyKind } from "./helpers";
import { createTestIdp } from "../sso/saml-idp";

// Saving an OpenID Connect connection runs discovery: a real provider answers it.
let idp: TestOidcProvider;
beforeAll(async () => {
  idp = await startOidcProvider();
});
afterAll(async () => {
  await idp?.close();
});

/**
 * Every endpoint of /api/v1 × every kind of key: the status, the problem code, and that a refusal
 * (and every read) leaves every row of both organizations as it was, while the owner key's
 * change happens. Each endpoint gets a fresh world, so one cell's change cannot mask another's.
 */

interface Endpoint {
  op: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (w: World) => string;
  body?: (w: World) => unknown;
  /** Status for the two keys that may see the organization but hold less than owner powers. */
  adminOfOtherProject: number;
  readOnly: number;
  /** The owner key's success. */
  ok?: number;
  /** The success's content type, when it is not JSON (a streamed file). */
  contentType?: string;
}

const ORG = (w: World) => `/organizations/${w.org.id}`;
// Issue 22: each world of a webhook operation gets one endpoint with one delivery (made by the Owner).
const hooks = new Map<string, { endpointId: string; deliveryId: string }>();
const HOOK = (w: World) => `${ORG(w)}/webhooks/${hooks.get(w.org.id)?.endpointId}`;
const P = (w: World) => `${ORG(w)}/projects/${w.project.id}`;

const ENDPOINTS: Endpoint[] = [
  { op: "listOrganizations", method: "GET", path: () => "/organizations", adminOfOtherProject: 200, readOnly: 200 },
  { op: "getOrganization", method: "GET", path: ORG, adminOfOtherProject: 200, readOnly: 200 },
  { op: "listProjects", method: "GET", path: (w) => `${ORG(w)}/projects`, adminOfOtherProject: 200, readOnly: 200 },
  {
    op: "createProject",
    method: "POST",
    path: (w) => `${ORG(w)}/projects`,
    body: () => ({ name: "From the API" }),
    adminOfOtherProject: 403,
    readOnly: 403,
    ok: 201,
  },
  { op: "renameProject", method: "PATCH", path: P, body: () => ({ name: "Renamed by API" }), adminOfOtherProject: 404, readOnly: 403 },
  {
    op: "deleteProject",
    method: "DELETE",
    path: (w) => `${ORG(w)}/projects/${w.sideProject.id}?confirmName=${encodeURIComponent(w.sideProject.name)}`,
    adminOfOtherProject: 403,
    readOnly: 404,
  },
  { op: "listCollaborators", method: "GET", path: (w) => `${P(w)}/collaborators`, adminOfOtherProject: 404, readOnly: 200 },
  {
    op: "changeCollaboratorRole",
    method: "PATCH",
    path: (w) => `${P(w)}/collaborators/${w.target.id}`,
    body: () => ({ role: "read_write" }),
    adminOfOtherProject: 404,
    readOnly: 403,
  },
  {
    op: "removeCollaborator",
    method: "DELETE",
    path: (w) => `${P(w)}/collaborators/${w.target.id}`,
    adminOfOtherProject: 404,
    readOnly: 403,
  },
  { op: "listProjectInvitations", method: "GET", path: (w) => `${P(w)}/invitations`, adminOfOtherProject: 404, readOnly: 403 },
  {
    op: "inviteToProject",
    method: "POST",
    path: (w) => `${P(w)}/invitations`,
    body: (w) => ({ emails: [uniqueEmail("api", w.tag)], role: "read_only" }),
    adminOfOtherProject: 404,
    readOnly: 403,
  },
  {
    op: "resendProjectInvitation",
    method: "POST",
    path: (w) => `${P(w)}/invitations/${w.invitation.id}/resend`,
    adminOfOtherProject: 404,
    readOnly: 403,
  },
  {
    op: "copyProjectInvitationLink",
    method: "POST",
    path: (w) => `${P(w)}/invitations/${w.invitation.id}/link`,
    adminOfOtherProject: 404,
    readOnly: 403,
  },
  {
    op: "revokeProjectInvitation",
    method: "DELETE",
    path: (w) => `${P(w)}/invitations/${w.invitation.id}`,
    adminOfOtherProject: 404,
    readOnly: 403,
  },
  { op: "listProjectActivity", method: "GET", path: (w) => `${P(w)}/activity`, adminOfOtherProject: 404, readOnly: 403 },
  { op: "listOrganizationMembers", method: "GET", path: (w) => `${ORG(w)}/members`, adminOfOtherProject: 200, readOnly: 200 },
  {
    op: "changeOrganizationRole",
    method: "PATCH",
    path: (w) => `${ORG(w)}/members/${w.actors.member.id}`,
    body: () => ({ role: "owner" }),
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  {
    op: "removeOrganizationMember",
    method: "DELETE",
    path: (w) => `${ORG(w)}/members/${w.actors.member.id}`,
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  { op: "listOrganizationInvitations", method: "GET", path: (w) => `${ORG(w)}/invitations`, adminOfOtherProject: 403, readOnly: 403 },
  {
    op: "inviteToOrganization",
    method: "POST",
    path: (w) => `${ORG(w)}/invitations`,
    body: (w) => ({
      emails: [uniqueEmail("orgapi", w.tag)],
      orgRole: "member",
      projects: [{ projectId: w.project.id, role: "read_only" }],
    }),
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  {
    op: "resendOrganizationInvitation",
    method: "POST",
    path: (w) => `${ORG(w)}/invitations/${w.strangerInvitation.id}/resend`,
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  {
    op: "copyOrganizationInvitationLink",
    method: "POST",
    path: (w) => `${ORG(w)}/invitations/${w.strangerInvitation.id}/link`,
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  {
    op: "revokeOrganizationInvitation",
    method: "DELETE",
    path: (w) => `${ORG(w)}/invitations/${w.strangerInvitation.id}`,
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  { op: "listOrganizationActivity", method: "GET", path: (w) => `${ORG(w)}/activity`, adminOfOtherProject: 403, readOnly: 403 },
  {
    op: "exportOrganizationActivity",
    method: "GET",
    path: (w) => `${ORG(w)}/activity/export?from=2000-01-01&to=2000-12-31&format=csv`,
    adminOfOtherProject: 403,
    readOnly: 403,
    contentType: "text/csv; charset=utf-8; header=present",
  },
  {
    op: "saveSamlConnection",
    method: "PUT",
    path: (w) => `${ORG(w)}/sso/saml`,
    body: () => ({ name: "Acme SAML", metadataXml: createTestIdp().metadataXml() }),
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  { op: "getSsoSettings", method: "GET", path: (w) => `${ORG(w)}/sso`, adminOfOtherProject: 403, readOnly: 403 },
  // The world has no connection yet: an Owner's key reaches the domain, which says so (404).
  {
    op: "updateSsoSettings",
    method: "PATCH",
    path: (w) => `${ORG(w)}/sso`,
    body: () => ({ defaultGrants: [] }),
    ok: 404,
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  {
    op: "saveOidcConnection",
    method: "PUT",
    path: (w) => `${ORG(w)}/sso/oidc`,
    body: () => ({ name: "Matrix IdP", issuer: idp.issuer, clientId: "matrix", clientSecret: "matrix-secret" }),
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  { op: "removeSsoConnection", method: "DELETE", path: (w) => `${ORG(w)}/sso`, ok: 404, adminOfOtherProject: 403, readOnly: 403 },
  { op: "listDomains", method: "GET", path: (w) => `${ORG(w)}/domains`, adminOfOtherProject: 403, readOnly: 403 },
  {
    op: "claimDomain",
    method: "POST",
    path: (w) => `${ORG(w)}/domains`,
    body: (w) => ({ domain: `claimed-${w.tag}.example.com` }),
    adminOfOtherProject: 403,
    readOnly: 403,
    ok: 201,
  },
  // The owner's check looks the record up in the test's DNS server (none there: the row records the failure).
  { op: "checkDomain", method: "POST", path: (w) => `${ORG(w)}/domains/${w.domain.id}/check`, adminOfOtherProject: 403, readOnly: 403 },
  { op: "removeDomain", method: "DELETE", path: (w) => `${ORG(w)}/domains/${w.domain.id}`, adminOfOtherProject: 403, readOnly: 403 },
  { op: "listWebhookEndpoints", method: "GET", path: (w) => `${ORG(w)}/webhooks`, adminOfOtherProject: 403, readOnly: 403 },
  {
    op: "createWebhookEndpoint",
    method: "POST",
    path: (w) => `${ORG(w)}/webhooks`,
    body: () => ({ url: "https://hooks.example.com/matrix", eventTypes: ["member.removed"] }),
    adminOfOtherProject: 403,
    readOnly: 403,
    ok: 201,
  },
  {
    op: "updateWebhookEndpoint",
    method: "PATCH",
    path: HOOK,
    body: () => ({ eventTypes: ["member.left"] }),
    adminOfOtherProject: 403,
    readOnly: 403,
  },
  { op: "deleteWebhookEndpoint", method: "DELETE", path: HOOK, adminOfOtherProject: 403, readOnly: 403 },
  { op: "rotateWebhookSecret", method: "POST", path: (w) => `${HOOK(w)}/rotate-secret`, adminOfOtherProject: 403, readOnly: 403 },
  { op: "listWebhookDeliveries", method: "GET", path: (w) => `${HOOK(w)}/deliveries`, adminOfOtherProject: 403, readOnly: 403 },
  {
    op: "redeliverWebhook",
    method: "POST",
    path: (w) => `${HOOK(w)}/deliveries/${hooks.get(w.org.id)?.deliveryId}/redeliver`,
    adminOfOtherProject: 403,
    readOnly: 403,
    ok: 201,
  },
  { op: "sendTestWebhook", method: "POST", path: (w) => `${HOOK(w)}/test`, adminOfOtherProject: 403, readOnly: 403, ok: 201 },
];

let dns: TxtDnsServer;
beforeAll(async () => {
  dns = await startTxtDnsServer();
  setDnsServersForTests([dns.address]);
});
afterAll(async () => {
  setDnsServersForTests(undefined);
  await dns.close();
});

const CODE: Record<number, string> = { 401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND" };

function expectedStatus(e: Endpoint, kind: KeyKind): number {
  switch (kind) {
    case "owner":
      return e.ok ?? 200;
    case "adminOfOtherProject":
      return e.adminOfOtherProject;
    case "readOnly":
      return e.readOnly;
    case "otherOrganization":
      // Another organization's key sees only its own organization: everything here is "not found".
      return e.op === "listOrganizations" ? 200 : 404;
    default:
      return 401;
  }
}

it("the matrix names every operation of the API", () => {
  expect(ENDPOINTS.map((e) => e.op).sort()).toEqual(OPERATIONS.map((o) => o.id).sort());
  for (const e of ENDPOINTS) expect(OPERATIONS.find((o) => o.id === e.op)!.method).toBe(e.method);
});

describe.each(testTargets())("API matrix on %s", (kind) => {
  const database = useTestDatabase(kind);

  it.each(ENDPOINTS.map((e) => [e.op, e] as const))("%s × every key kind", async (_op, e) => {
    const w = await buildWorld(database.db);
    const keys = await makeKeys(database.db, w);
    if (/Webhook/.test(e.op)) {
      const { endpoint } = await m.createWebhookEndpoint(database.db, w.actors.owner, {
        orgId: w.org.id,
        url: "https://hooks.example.com/world",
        eventTypes: ["member.removed"],
      });
      const { deliveryId } = await m.sendTestWebhook(database.db, w.actors.owner, { orgId: w.org.id, endpointId: endpoint.id });
      hooks.set(w.org.id, { endpointId: endpoint.id, deliveryId });
    }
    // A key's first request makes its rate-limit row; make it now so the snapshots compare rows the endpoint owns.
    for (const k of KEY_KINDS) if (keys[k]) await api(database.db, keys[k], "GET", "/organizations");
    // An export counts against the organization's hourly exports (a rate-limit row of its own): made now too.
    if (e.op === "exportOrganizationActivity") await api(database.db, keys.owner, e.method, e.path(w));
    const ordered = [...KEY_KINDS.filter((k) => k !== "owner"), "owner" as const];
    const seen: string[] = [];
    for (const keyKind of ordered) {
      const before = await snapshot(database.db, worldOrgIds(w));
      const answer = await api(database.db, keys[keyKind], e.method, e.path(w), { body: e.body?.(w) });
      const after = await snapshot(database.db, worldOrgIds(w));
      const expected = expectedStatus(e, keyKind);
      seen.push(`${keyKind}:${answer.status}`);
      expect(answer.status, `${e.op} with the ${keyKind} key: ${JSON.stringify(answer.body)}`).toBe(expected);
      if (expected >= 400) {
        expect(answer.contentType).toBe("application/problem+json");
        expect(answer.body.code).toBe(CODE[expected]);
        expect(answer.body.status).toBe(expected);
        expect(JSON.stringify(answer.body)).not.toMatch(/\bat \w|node_modules|select |insert /i);
      } else expect(answer.contentType).toBe(e.contentType ?? "application/json");
      if (expected >= 400 || e.method === "GET") expect(after, `${e.op} with the ${keyKind} key changed rows`).toEqual(before);
      else expect(after, `${e.op} with the owner key changed nothing`).not.toEqual(before);
    }
    expect(seen).toHaveLength(KEY_KINDS.length);
  });
});
