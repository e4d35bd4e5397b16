import { createHash, randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { createOrgMember, createProject, uniqueEmail } from "./db";
import { ORG_ID, sql } from "./db";
import { OIDC_ISSUER, SAML_IDP_ORIGIN } from "./identity-providers";
import { publishTxt } from "./dns";
import { callAction, createForeignTenant, expectRefusedUnchanged, insertInvitation, sessionFor, snapshot, userId } from "./doors";

/**
 * Every door (server action and list route) called directly against the production build: signed
 * out, as each role that may not, and across tenants — refused with nothing changed; and as a role
 * that may — with its effect in the database, so an action that skips its session check, its
 * guard, or its domain call fails here.
 */

type Standing = "noCookie" | "forgedCookie" | "outsider" | "member" | "reader" | "writer" | "admin" | "owner" | "foreignOwner";

let sessions: Record<Exclude<Standing, "noCookie">, string | undefined>;
let foreign: Awaited<ReturnType<typeof createForeignTenant>>;

test.beforeAll(async () => {
  foreign = await createForeignTenant();
  sessions = {
    forgedCookie: "forged-session-token",
    outsider: await sessionFor(`outsider-${Date.now()}@example.net`),
    member: await sessionFor("member@acme.test"),
    reader: await sessionFor("reader@acme.test"),
    writer: await sessionFor("writer@acme.test"),
    admin: await sessionFor("admin@acme.test"),
    owner: await sessionFor("owner@acme.test"),
    foreignOwner: await sessionFor(foreign.ownerEmail),
  };
});

const session = (s: Standing) => (s === "noCookie" ? undefined : sessions[s]);

/** A fresh project: admin@ admin, writer@ read-write, reader@ read-only, a read-only target, a pending invitation. */
async function world() {
  const project = await createProject({ "admin@acme.test": "admin", "writer@acme.test": "read_write", "reader@acme.test": "read_only" });
  const targetEmail = uniqueEmail("target");
  await createOrgMember(targetEmail, project.id, "read_only");
  const invitation = await insertInvitation(ORG_ID, project.id, uniqueEmail("invitee"));
  const [apiKey] = await sql<{ id: string }>(
    "insert into api_keys (org_id, name, prefix, secret_hash, scope) values ($1, 'door key', 'mck_door', md5(random()::text), 'organization') returning id",
    [ORG_ID],
  );
  // Both organizations have a single sign-on connection, so the SSO doors have something to change.
  for (const orgId of [ORG_ID, foreign.orgId])
    await sql(
      "insert into sso_connections (org_id, kind, name, oidc_issuer, oidc_client_id, tested_at) " +
        "values ($1, 'oidc', 'Door IdP', 'https://idp.invalid', 'door', now()) on conflict (org_id) do nothing",
      [orgId],
    );
  // A pending domain of the organization whose TXT record is published: a check that gets through verifies it.
  const domainName = `door-${randomBytes(4).toString("hex")}.example.com`;
  const token = `mc-domain-verification=${randomBytes(24).toString("base64url")}`;
  // Not due for the app's scheduled check (which would change rows while a door is tried), and the
  // earlier worlds' domains gone, so the organization stays under its 20 domains.
  await sql("delete from org_domains where org_id = $1 and domain like 'door-%'", [ORG_ID]);
  const [domain] = await sql<{ id: string }>(
    "insert into org_domains (org_id, domain, verification_token, next_check_at) values ($1, $2, $3, now() + interval '1 day') returning id",
    [ORG_ID, domainName, token],
  );
  publishTxt(domainName, [token]);
  // ── Issue 20: a SCIM token of the organization, for the SCIM token doors ──
  const [scimToken] = await sql<{ id: string }>(
    "insert into scim_tokens (org_id, name, prefix, token_hash) values ($1, 'door token', 'mcs_door', md5(random()::text)) returning id",
    [ORG_ID],
  );
  // ── Issue 22: a webhook endpoint of the organization with one delivered event, for the webhook doors ──
  // Made-up public URLs: the e2e app reaches loopback only (WEBHOOK_ALLOW_LOOPBACK=only), so nothing is sent.
  // The earlier worlds' endpoints go, so the organization stays under its 20.
  await sql("delete from webhook_endpoints where org_id = $1 and url like 'https://door-%'", [ORG_ID]);
  const webhookUrl = `https://door-${randomBytes(4).toString("hex")}.example.com/hook`;
  const [endpoint] = await sql<{ id: string; secret_sealed: string }>(
    "insert into webhook_endpoints (org_id, url, event_types, secret_sealed) values ($1, $2, '{member.left}', $3) returning id, secret_sealed",
    [ORG_ID, webhookUrl, `door-sealed-${randomBytes(8).toString("hex")}`],
  );
  const eventId = `msg_door${randomBytes(12).toString("hex")}`;
  await sql(
    `insert into webhook_events (id, org_id, type, payload) values ($1, $2, 'member.left', jsonb_build_object('id', $1::text, 'type', 'member.left'))`,
    [eventId, ORG_ID],
  );
  // Delivered already: the job runner leaves it alone while a door is tried.
  const [delivery] = await sql<{ id: string }>(
    "insert into webhook_deliveries (endpoint_id, event_id, status, attempts, response_code, give_up_at, delivered_at) " +
      "values ($1, $2, 'delivered', 1, 204, now() + interval '1 day', now()) returning id",
    [endpoint!.id, eventId],
  );
  return {
    webhook: {
      endpointId: endpoint!.id,
      url: webhookUrl,
      sealed: endpoint!.secret_sealed,
      eventId,
      deliveryId: delivery!.id,
      newUrl: `https://door-new-${randomBytes(4).toString("hex")}.example.com/hook`,
    },
    scimTokenId: scimToken!.id,
    project,
    domainId: domain!.id,
    newDomain: `door-new-${randomBytes(4).toString("hex")}.example.com`,
    targetId: await userId(targetEmail),
    invitation,
    apiKeyId: apiKey!.id,
    scope: { orgId: ORG_ID, projectId: project.id },
  };
}

type World = Awaited<ReturnType<typeof world>>;

interface Door {
  name: string;
  path: (w: World) => string;
  args: (w: World) => unknown[];
  /** Standings that must be refused on our own ids. */
  refused: Standing[];
  /** The same call with the ids of another tenant, by our own Organization Owner, must be refused too. */
  foreignArgs?: (w: World) => unknown[];
  allowed: { as: Standing; effect: (w: World) => Promise<void> };
  /** Bodies no client of ours would send, by the standing that is allowed: each refused with nothing changed. */
  malformed?: (w: World) => unknown[][];
}

const NOT_OWNERS: Standing[] = ["noCookie", "forgedCookie", "outsider", "member", "reader", "writer", "admin", "foreignOwner"];
/** Not an object, no ids, ids of the wrong type or size: refused before the domain is asked. */
const malformedEndpointBodies = (w: World): unknown[][] => [
  [],
  [null],
  ["orgId"],
  [{}],
  [{ orgId: ORG_ID }],
  [{ orgId: ORG_ID, endpointId: 42 }],
  [{ orgId: ORG_ID, endpointId: "x".repeat(5_000) }],
  [{ orgId: [ORG_ID], endpointId: w.webhook.endpointId }],
  [{ orgId: ORG_ID, endpointId: "not-a-uuid" }],
];

const MANAGERS_ONLY: Standing[] = ["noCookie", "forgedCookie", "outsider", "member", "reader", "writer", "foreignOwner"];

type Body = (w: World) => Record<string, unknown>;

/**
 * A door of an organization page (`page`, below /orgs/{orgId}/) that only an Organization Owner may
 * use: its one argument is `body` with our organization's id, or another tenant's for the cross-tenant call.
 */
function ownerDoor(name: string, page: string, body: Body, effect: (w: World) => Promise<void>, more: Partial<Door> = {}): Door {
  return {
    name,
    path: () => `/orgs/${ORG_ID}/${page}`,
    args: (w) => [{ orgId: ORG_ID, ...body(w) }],
    refused: NOT_OWNERS,
    foreignArgs: (w) => [{ orgId: foreign.orgId, ...body(w) }],
    allowed: { as: "owner", effect },
    ...more,
  };
}

/** A door of the world's project page that only its managers may use; across tenants it names the other tenant's project. */
function projectDoor(name: string, body: Body, allowed: Door["allowed"]): Door {
  return {
    name,
    path: (w) => w.project.path,
    args: (w) => [{ ...w.scope, ...body(w) }],
    refused: MANAGERS_ONLY,
    foreignArgs: (w) => [{ orgId: foreign.orgId, projectId: foreign.projectId, ...body(w) }],
    allowed,
  };
}

/** Accepting or declining the world's invitation: only the invited address may, and it leaves the invitation `status`. */
function invitationDoor(name: string, status: string): Door {
  return {
    name,
    path: (w) => `/invite/${w.invitation.token}`,
    args: (w) => [{ token: w.invitation.token }],
    refused: ["noCookie", "forgedCookie", "outsider", "member", "admin", "owner", "foreignOwner"],
    allowed: { as: "invitee" as Standing, effect: async (w) => expect(await invitationStatus(w)).toBe(status) },
  };
}

const invitationStatus = async (w: World) =>
  (await sql<{ status: string }>("select status from invitations where id = $1", [w.invitation.id]))[0]!.status;

/** Expects `n` rows from the query. */
async function expectRows(n: number, query: string, params: unknown[] = []): Promise<void> {
  expect(await sql(query, params)).toHaveLength(n);
}

const endpointBody: Body = (w) => ({ endpointId: w.webhook.endpointId });

const DOORS: Door[] = [
  {
    // Everyone signed in sets their own name; only a missing or forged session is refused.
    name: "setDisplayNameAction",
    path: () => "/orgs",
    args: () => [{ name: "Door Name" }],
    refused: ["noCookie", "forgedCookie"],
    allowed: {
      as: "outsider",
      effect: () => expectRows(1, "select 1 from users where email like 'outsider-%@example.net' and name = 'Door Name'"),
    },
  },
  projectDoor("inviteUsersAction", () => ({ emails: "door-invitee@example.com", role: "read_only" }), {
    as: "admin",
    effect: (w) =>
      expectRows(
        1,
        "select 1 from invitations i join invitation_project_grants g on g.invitation_id = i.id " +
          "where g.project_id = $1 and i.email = 'door-invitee@example.com' and i.status = 'pending'",
        [w.project.id],
      ),
  }),
  projectDoor("resendInvitationAction", (w) => ({ invitationId: w.invitation.id }), {
    as: "admin",
    effect: async (w) =>
      expect((await sql<{ n: number }>("select resend_count as n from invitations where id = $1", [w.invitation.id]))[0]!.n).toBe(1),
  }),
  projectDoor("revokeInvitationAction", (w) => ({ invitationId: w.invitation.id }), {
    as: "owner",
    effect: async (w) => expect(await invitationStatus(w)).toBe("revoked"),
  }),
  projectDoor("changeRoleAction", (w) => ({ userId: w.targetId, role: "admin" }), {
    as: "admin",
    effect: async (w) =>
      expect(
        (
          await sql<{ role: string }>("select role from project_memberships where project_id = $1 and user_id = $2", [
            w.project.id,
            w.targetId,
          ])
        )[0]!.role,
      ).toBe("admin"),
  }),
  projectDoor("removeCollaboratorAction", (w) => ({ userId: w.targetId }), {
    as: "admin",
    effect: (w) => expectRows(0, "select 1 from project_memberships where project_id = $1 and user_id = $2", [w.project.id, w.targetId]),
  }),
  {
    name: "leaveProjectAction",
    path: (w) => w.project.path,
    args: (w) => [w.scope],
    // Not collaborators (or not signed in) have nothing to leave; the owner is not listed here.
    refused: ["noCookie", "forgedCookie", "outsider", "member", "foreignOwner"],
    allowed: {
      as: "reader",
      effect: (w) =>
        expectRows(
          0,
          "select 1 from project_memberships pm join users u on u.id = pm.user_id where pm.project_id = $1 and u.email = 'reader@acme.test'",
          [w.project.id],
        ),
    },
  },
  ownerDoor(
    "removeOrganizationMemberAction",
    "members",
    (w) => ({ userId: w.targetId }),
    (w) => expectRows(0, "select 1 from organization_memberships where org_id = $1 and user_id = $2", [ORG_ID, w.targetId]),
  ),
  ownerDoor(
    "createApiKeyAction",
    "settings/api-keys",
    (w) => ({ name: `Door key ${w.apiKeyId}`, scope: "organization" }),
    (w) => expectRows(1, "select 1 from api_keys where org_id = $1 and name = $2", [ORG_ID, `Door key ${w.apiKeyId}`]),
  ),
  ownerDoor(
    "revokeApiKeyAction",
    "settings/api-keys",
    (w) => ({ keyId: w.apiKeyId }),
    (w) => expectRows(1, "select 1 from api_keys where id = $1 and revoked_at is not null", [w.apiKeyId]),
  ),
  // The run's OpenID provider answers discovery, so the Owner's call really saves.
  ownerDoor(
    "saveOidcConnectionAction",
    "settings/sso",
    () => ({ name: "Door OIDC", issuer: OIDC_ISSUER, clientId: "door-client", clientSecret: "door-secret" }),
    () => expectRows(1, "select 1 from sso_connections where org_id = $1 and kind = 'oidc' and oidc_client_id = 'door-client'", [ORG_ID]),
  ),
  ownerDoor(
    "saveSamlConnectionAction",
    "settings/sso",
    () => ({ name: "Door SAML", source: "url", metadataUrl: `${SAML_IDP_ORIGIN}/saml/metadata` }),
    () => expectRows(1, "select 1 from sso_connections where org_id = $1 and kind = 'saml' and name = 'Door SAML'", [ORG_ID]),
  ),
  ownerDoor(
    "updateSsoSettingsAction",
    "settings/sso",
    () => ({ enabled: false, defaultGrants: [] }),
    async () =>
      expect(await sql("select 1 from activity where org_id = $1 and action = 'sso.settings_changed'", [ORG_ID])).not.toHaveLength(0),
  ),
  ownerDoor(
    "removeSsoConnectionAction",
    "settings/sso",
    () => ({}),
    () => expectRows(0, "select 1 from sso_connections where org_id = $1", [ORG_ID]),
  ),
  ownerDoor(
    "claimDomainAction",
    "settings/domains",
    (w) => ({ domain: w.newDomain }),
    (w) => expectRows(1, "select 1 from org_domains where org_id = $1 and domain = $2 and status = 'pending'", [ORG_ID, w.newDomain]),
  ),
  ownerDoor(
    "checkDomainAction",
    "settings/domains",
    (w) => ({ domainId: w.domainId }),
    (w) => expectRows(1, "select 1 from org_domains where id = $1 and status = 'verified'", [w.domainId]),
  ),
  ownerDoor(
    "removeDomainAction",
    "settings/domains",
    (w) => ({ domainId: w.domainId }),
    (w) => expectRows(0, "select 1 from org_domains where id = $1", [w.domainId]),
  ),
  // Only the invited address may accept or decline; everyone else is refused.
  invitationDoor("acceptInvitationAction", "accepted"),
  invitationDoor("declineInvitationAction", "declined"),
  // ── Issue 20: SCIM tokens (the SSO settings page) ──
  ownerDoor(
    "createScimTokenAction",
    "settings/sso",
    () => ({ name: "Door SCIM token" }),
    async () => expect(await sql("select 1 from scim_tokens where org_id = $1 and name = 'Door SCIM token'", [ORG_ID])).not.toHaveLength(0),
    { foreignArgs: () => [{ orgId: foreign.orgId, name: "Planted SCIM token" }] },
  ),
  ownerDoor(
    "revokeScimTokenAction",
    "settings/sso",
    (w) => ({ tokenId: w.scimTokenId }),
    (w) => expectRows(1, "select 1 from scim_tokens where id = $1 and revoked_at is not null", [w.scimTokenId]),
  ),
  // ── Issue 22: webhook endpoints (the webhooks settings page) ──
  ownerDoor(
    "createWebhookEndpointAction",
    "settings/webhooks",
    (w) => ({ url: w.webhook.newUrl, eventTypes: ["member.left"] }),
    (w) =>
      expectRows(1, "select 1 from webhook_endpoints where org_id = $1 and url = $2 and event_types = '{member.left}'", [
        ORG_ID,
        w.webhook.newUrl,
      ]),
    {
      malformed: (w) => [
        [],
        [{ orgId: ORG_ID, url: w.webhook.newUrl }],
        [{ orgId: ORG_ID, url: w.webhook.newUrl, eventTypes: [] }],
        [{ orgId: ORG_ID, url: w.webhook.newUrl, eventTypes: "member.left" }],
        [{ orgId: ORG_ID, url: w.webhook.newUrl, eventTypes: ["member.exploded"] }],
        [{ orgId: ORG_ID, url: "not a url", eventTypes: ["member.left"] }],
        [{ orgId: ORG_ID, url: "https://user:pass@hooks.example.com/", eventTypes: ["member.left"] }],
        [{ orgId: ORG_ID, url: "https://169.254.169.254/latest/meta-data", eventTypes: ["member.left"] }],
        [{ orgId: ORG_ID, url: "https://10.0.0.1/hook", eventTypes: ["member.left"] }],
        [{ orgId: ORG_ID, url: `https://${"a".repeat(2_000)}.example.com/`, eventTypes: ["member.left"] }],
        [{ orgId: ORG_ID, url: { href: w.webhook.newUrl }, eventTypes: ["member.left"] }],
      ],
    },
  ),
  ownerDoor(
    "updateWebhookEndpointAction",
    "settings/webhooks",
    (w) => ({ endpointId: w.webhook.endpointId, url: w.webhook.newUrl, eventTypes: ["member.left", "member.removed"] }),
    async (w) =>
      expect(
        await sql<{ url: string; event_types: string[] }>("select url, event_types from webhook_endpoints where id = $1", [
          w.webhook.endpointId,
        ]),
      ).toEqual([{ url: w.webhook.newUrl, event_types: ["member.removed", "member.left"] }]),
    {
      malformed: (w) => [
        ...malformedEndpointBodies(w),
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId, url: w.webhook.newUrl, eventTypes: [] }],
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId, url: "ftp://hooks.example.com/", eventTypes: ["member.left"] }],
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId, url: "https://[fe80::1]/hook", eventTypes: ["member.left"] }],
      ],
    },
  ),
  ownerDoor(
    "deleteWebhookEndpointAction",
    "settings/webhooks",
    endpointBody,
    (w) => expectRows(0, "select 1 from webhook_endpoints where id = $1", [w.webhook.endpointId]),
    { malformed: malformedEndpointBodies },
  ),
  ownerDoor(
    "rotateWebhookSecretAction",
    "settings/webhooks",
    endpointBody,
    async (w) => {
      const [row] = await sql<{ secret_sealed: string; previous_secret_sealed: string | null; overlap: boolean }>(
        "select secret_sealed, previous_secret_sealed, previous_secret_expires_at > now() + interval '23 hours' as overlap " +
          "from webhook_endpoints where id = $1",
        [w.webhook.endpointId],
      );
      expect(row).toMatchObject({ previous_secret_sealed: w.webhook.sealed, overlap: true });
      expect(row!.secret_sealed).not.toBe(w.webhook.sealed);
    },
    { malformed: malformedEndpointBodies },
  ),
  ownerDoor(
    "sendTestWebhookAction",
    "settings/webhooks",
    endpointBody,
    (w) =>
      expectRows(
        1,
        "select 1 from webhook_deliveries d join webhook_events e on e.id = d.event_id where d.endpoint_id = $1 and e.type = 'webhook.test'",
        [w.webhook.endpointId],
      ),
    { malformed: malformedEndpointBodies },
  ),
  ownerDoor(
    "redeliverWebhookAction",
    "settings/webhooks",
    (w) => ({ endpointId: w.webhook.endpointId, deliveryId: w.webhook.deliveryId }),
    (w) =>
      expectRows(2, "select 1 from webhook_deliveries where endpoint_id = $1 and event_id = $2", [w.webhook.endpointId, w.webhook.eventId]),
    {
      malformed: (w) => [
        ...malformedEndpointBodies(w).map(([body]) => [
          body && typeof body === "object" ? { ...body, deliveryId: w.webhook.deliveryId } : body,
        ]),
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId }],
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId, deliveryId: 7 }],
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId, deliveryId: "not-a-uuid" }],
        // Another endpoint's delivery through this endpoint: not found.
        [{ orgId: ORG_ID, endpointId: w.webhook.endpointId, deliveryId: "00000000-0000-4000-8000-000000000000" }],
      ],
    },
  ),
];

async function sessionOf(as: Standing, w: World): Promise<string | undefined> {
  if ((as as string) !== "invitee") return session(as);
  const [row] = await sql<{ email: string }>("select email from invitations where id = $1", [w.invitation.id]);
  return sessionFor(row!.email);
}

async function call(request: APIRequestContext, door: Door, w: World, as: Standing, args = door.args(w)) {
  return callAction(request, door.path(w), door.name, args, await sessionOf(as, w));
}

for (const door of DOORS) {
  test.describe(door.name, () => {
    test(`refuses ${door.refused.join(", ")} and changes nothing`, async ({ request }) => {
      const w = await world();
      for (const as of door.refused) await expectRefusedUnchanged(() => call(request, door, w, as), `${door.name} as ${as}`);
    });

    if (door.foreignArgs) {
      test("refuses another tenant's ids, even to an Organization Owner, and changes nothing", async ({ request }) => {
        const w = await world();
        await expectRefusedUnchanged(() => call(request, door, w, "owner", door.foreignArgs!(w)), `${door.name} across tenants`);
      });
    }

    if (door.malformed) {
      test(`refuses malformed bodies from ${door.allowed.as} and changes nothing`, async ({ request }) => {
        const w = await world();
        for (const args of door.malformed!(w)) {
          const outcome = await expectRefusedUnchanged(
            () => call(request, door, w, door.allowed.as, args),
            `${door.name} with ${JSON.stringify(args).slice(0, 120)}`,
          );
          // Said in words, never a stack trace or SQL.
          expect(outcome.result?.message ?? "").not.toMatch(
            /\bat \S+ \(|\bselect\b.+\bfrom\b|\binsert into\b|TypeError|Something went wrong/,
          );
        }
      });
    }

    test(`lets ${door.allowed.as} through, with its effect in the database`, async ({ request }) => {
      const w = await world();
      const before = await snapshot();
      const outcome = await call(request, door, w, door.allowed.as);
      expect(outcome.result, JSON.stringify(outcome)).toMatchObject({ ok: true });
      expect(await snapshot()).not.toBe(before);
      await door.allowed.effect(w);
    });
  });
}

test.describe("list route /api/orgs/…/projects/…/[list]", () => {
  test("answers 401/404/403 to those who may not read, 200 to those who may, and changes nothing", async ({ request }) => {
    const w = await world();
    const get = async (list: string, as: Standing, projectId = w.project.id, orgId = ORG_ID) => {
      const s = session(as);
      const response = await request.get(`/api/orgs/${orgId}/projects/${projectId}/${list}`, {
        headers: s ? { cookie: `authjs.session-token=${s}` } : {},
      });
      return response.status();
    };
    const before = await snapshot();
    for (const list of ["collaborators", "invitations", "activity"]) {
      expect(await get(list, "noCookie")).toBe(401);
      expect(await get(list, "forgedCookie")).toBe(401);
      expect(await get(list, "outsider")).toBe(404);
      expect(await get(list, "member")).toBe(404);
      expect(await get(list, "foreignOwner")).toBe(404);
      expect(await get(list, "owner", foreign.projectId)).toBe(404);
      expect(await get(list, "admin")).toBe(200);
      expect(await get(list, "owner")).toBe(200);
    }
    expect(await get("collaborators", "reader")).toBe(200);
    expect(await get("invitations", "reader")).toBe(403);
    expect(await get("activity", "writer")).toBe(403);
    expect(await get("secrets", "owner")).toBe(404);
    expect(await snapshot()).toBe(before);
  });
});

test.describe("audit export route /orgs/…/activity/export", () => {
  test("answers 401/403/404 to those who may not export and 400 to a bad range, streaming nothing; an Owner gets the file", async ({
    request,
  }) => {
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = `from=${day(-30)}&to=${day(1)}`;
    const get = async (as: Standing, query = range, orgId: string = ORG_ID) => {
      const s = session(as);
      const response = await request.get(`/orgs/${orgId}/activity/export?${query}`, {
        headers: s ? { cookie: `authjs.session-token=${s}` } : {},
        maxRedirects: 0,
      });
      return { status: response.status(), type: response.headers()["content-type"] ?? "", text: await response.text() };
    };
    const before = await snapshot();
    // Signed out, the console sends the browser to sign in first (and back here after).
    expect((await get("noCookie")).status).toBe(307);
    expect((await get("forgedCookie")).status).toBe(401);
    for (const as of ["outsider", "foreignOwner"] as const) expect((await get(as)).status).toBe(404);
    for (const as of ["member", "reader", "writer", "admin"] as const) expect((await get(as)).status).toBe(403);
    expect((await get("owner", range, foreign.orgId)).status).toBe(404);
    for (const bad of [
      "",
      "from=2026-02-30&to=2026-03-01",
      `${range}&format=xlsx`,
      "from=2020-01-01&to=2026-01-01",
      "from=2026-01-02&to=2026-01-01",
    ]) {
      const r = await get("owner", bad);
      expect({ bad, status: r.status, type: r.type }).toEqual({ bad, status: 400, type: "application/json" });
      expect(r.text).not.toContain("createdAt");
    }
    const ok = await get("owner", `${range}&format=csv`);
    expect(ok.status).toBe(200);
    expect(ok.type).toBe("text/csv; charset=utf-8; header=present");
    expect(ok.text.startsWith("id,createdAt,action,description,")).toBe(true);
    expect(await snapshot()).toBe(before);
  });
});

test.describe("createProjectAction and the sign-in action (FormData doors)", () => {
  test("refuse arguments that are not a form, changing nothing", async ({ request }) => {
    await expectRefusedUnchanged(
      () =>
        callAction(request, `/orgs/${ORG_ID}/projects`, "createProjectAction", [null, { orgId: ORG_ID, name: "Sneaky" }], sessions.owner),
      "createProjectAction with JSON",
    );
    await expectRefusedUnchanged(
      () => callAction(request, "/sign-in", "requestSignInLink", [null, "owner@acme.test"]),
      "requestSignInLink with a string",
    );
  });

  test("createProjectAction refuses a signed-out caller and another tenant's organization", async ({ browser }) => {
    // The form as the page renders it, submitted by a person whose session ends meanwhile.
    const context = await browser.newContext();
    await context.addCookies([{ name: "authjs.session-token", value: sessions.owner!, domain: "127.0.0.1", path: "/" }]);
    const page = await context.newPage();
    await page.goto(`/orgs/${ORG_ID}/projects`);
    const name = page.getByLabel(/Project name/);
    await sql("delete from sessions where session_token = $1", [sessions.owner]);
    sessions.owner = await sessionFor("owner@acme.test");
    const before = await snapshot();
    await name.fill("Created while signed out");
    await page.getByRole("button", { name: /Create project/ }).click();
    await expect(
      page
        .getByRole("alert")
        .or(page.getByText(/sign in/i))
        .first(),
    ).toBeVisible();
    expect(await snapshot()).toBe(before);
    await context.close();

    // The foreign owner edits the hidden organization id of their own form to ours.
    const foreignContext = await browser.newContext();
    await foreignContext.addCookies([{ name: "authjs.session-token", value: sessions.foreignOwner!, domain: "127.0.0.1", path: "/" }]);
    const foreignPage = await foreignContext.newPage();
    await foreignPage.goto(`/orgs/${foreign.orgId}/projects`);
    await foreignPage.locator('input[name="orgId"]').evaluate((el, orgId) => ((el as HTMLInputElement).value = orgId), ORG_ID);
    await foreignPage.getByLabel(/Project name/).fill("Planted in Acme");
    await foreignPage.getByRole("button", { name: /Create project/ }).click();
    await expect(foreignPage.getByRole("alert").first()).toBeVisible();
    expect(await sql("select 1 from projects where name = 'Planted in Acme'")).toHaveLength(0);
    await foreignContext.close();
  });
});

// ── Issue 20: the SCIM endpoints (/scim/v2/{orgId}) ──
test.describe("SCIM endpoints /scim/v2/{orgId}", () => {
  /** A token or key row with a known secret, as the console would store it (SHA-256, hex). */
  async function secretRow(table: "scim_tokens" | "api_keys", orgId: string, revoked = false): Promise<string> {
    const prefix = table === "scim_tokens" ? "mcs_" : "mck_";
    const secret = prefix + randomBytes(32).toString("base64url");
    const hash = createHash("sha256").update(secret).digest("hex");
    if (table === "scim_tokens")
      await sql("insert into scim_tokens (org_id, name, prefix, token_hash, revoked_at) values ($1, 'door', $2, $3, $4)", [
        orgId,
        secret.slice(0, 12),
        hash,
        revoked ? new Date() : null,
      ]);
    else
      await sql("insert into api_keys (org_id, name, prefix, secret_hash, scope) values ($1, 'door', $2, $3, 'organization')", [
        orgId,
        secret.slice(0, 12),
        hash,
      ]);
    return secret;
  }

  const user = (email: string) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: email,
    emails: [{ value: email, primary: true }],
  });

  test("refuse no token, a revoked token, another organization's token and an API key with a SCIM 401, changing nothing", async ({
    request,
  }) => {
    const bearers: Record<string, string | null> = {
      "no token": null,
      "a forged token": "mcs_" + "A".repeat(43),
      "a revoked token": await secretRow("scim_tokens", ORG_ID, true),
      "another organization's token": await secretRow("scim_tokens", foreign.orgId),
      "an API key": await secretRow("api_keys", ORG_ID),
    };
    const [owner] = await sql<{ id: string }>("select id from users where email = 'owner@acme.test'");
    for (const [who, bearer] of Object.entries(bearers)) {
      const headers = { "content-type": "application/scim+json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
      const before = await snapshot();
      const calls = [
        request.get(`/scim/v2/${ORG_ID}/Users`, { headers }),
        request.get(`/scim/v2/${ORG_ID}/ServiceProviderConfig`, { headers }),
        request.post(`/scim/v2/${ORG_ID}/Users`, { headers, data: user(uniqueEmail("scim-door")) }),
        request.patch(`/scim/v2/${ORG_ID}/Users/${owner!.id}`, {
          headers,
          data: {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "replace", path: "active", value: false }],
          },
        }),
        request.delete(`/scim/v2/${ORG_ID}/Users/${owner!.id}`, { headers }),
      ];
      for (const response of await Promise.all(calls)) {
        expect(response.status(), `${who}: ${response.url()}`).toBe(401);
        expect(response.headers()["content-type"]).toContain("application/scim+json");
        expect(await response.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
      }
      expect(await snapshot(), who).toBe(before);
    }
  });

  test("answer malformed JSON, a huge body, a wrong type and a broken address with SCIM errors, never a 500", async ({ request }) => {
    const token = await secretRow("scim_tokens", ORG_ID);
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/scim+json" };
    const before = await snapshot();
    const answers = [
      [await request.post(`/scim/v2/${ORG_ID}/Users`, { headers, data: '{"userName": ' }), 400],
      [await request.post(`/scim/v2/${ORG_ID}/Users`, { headers, data: JSON.stringify({ userName: "x".repeat(2 * 1024 * 1024) }) }), 413],
      [await request.post(`/scim/v2/${ORG_ID}/Users`, { headers: { ...headers, "content-type": "text/plain" }, data: "{}" }), 415],
      [await request.post(`/scim/v2/${ORG_ID}/Users`, { headers, data: "[]" }), 400],
      [await request.get(`/scim/v2/${ORG_ID}/Users?filter=${encodeURIComponent('userName sw "a"')}`, { headers }), 400],
      [await request.get(`/scim/v2/${ORG_ID}/Users/%E0%A4%A`, { headers }), 400],
      [await request.get(`/scim/v2/not-an-org/Users`, { headers }), 401],
    ] as const;
    for (const [response, status] of answers) {
      expect(response.status(), response.url()).toBe(status);
      expect(await response.json()).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(status) });
    }
    expect(await snapshot()).toBe(before);
  });
});

// ── Issue 20: SCIM group → project role mappings (SSO page), kept apart from the table above ──

test.describe("SCIM group mapping doors (mapScimGroupAction, unmapScimGroupAction)", () => {
  const ssoPath = `/orgs/${ORG_ID}/settings/sso`;

  /** A door world plus a SCIM group holding the target (a provisioned Organization Member, direct Project Read-Only). */
  async function groupWorld(options: { mapped?: boolean } = {}) {
    const w = await world();
    const [target] = await sql<{ email: string }>("select email from users where id = $1", [w.targetId]);
    await sql("insert into scim_users (org_id, user_id, user_name, email) values ($1, $2, $3, $3)", [ORG_ID, w.targetId, target!.email]);
    const [group] = await sql<{ id: string }>("insert into scim_groups (org_id, display_name) values ($1, $2) returning id", [
      ORG_ID,
      `door-group-${randomBytes(4).toString("hex")}`,
    ]);
    await sql("insert into scim_group_members (group_id, org_id, user_id) values ($1, $2, $3)", [group!.id, ORG_ID, w.targetId]);
    if (options.mapped) {
      await sql("insert into scim_group_project_roles (group_id, org_id, project_id, role) values ($1, $2, $3, 'read_write')", [
        group!.id,
        ORG_ID,
        w.project.id,
      ]);
      await sql("update project_memberships set group_role = 'read_write', role = 'read_write' where project_id = $1 and user_id = $2", [
        w.project.id,
        w.targetId,
      ]);
    }
    return { ...w, groupId: group!.id };
  }
  const mappings = async (groupId: string) =>
    JSON.stringify(await sql("select project_id, role from scim_group_project_roles where group_id = $1 order by project_id", [groupId]));
  const roleOfTarget = async (w: { project: { id: string }; targetId: string }) =>
    (
      await sql<{ role: string; group_role: string | null }>(
        "select role, group_role from project_memberships where project_id = $1 and user_id = $2",
        [w.project.id, w.targetId],
      )
    )[0];

  for (const door of [
    {
      name: "mapScimGroupAction",
      mapped: false,
      args: (w: { groupId: string; project: { id: string } }, orgId: string = ORG_ID) => [
        { orgId, groupId: w.groupId, projectId: w.project.id, role: "read_write" },
      ],
      effect: async (w: Awaited<ReturnType<typeof groupWorld>>) => {
        expect(await mappings(w.groupId)).toBe(JSON.stringify([{ project_id: w.project.id, role: "read_write" }]));
        expect(await roleOfTarget(w)).toEqual({ role: "read_write", group_role: "read_write" });
      },
    },
    {
      name: "unmapScimGroupAction",
      mapped: true,
      args: (w: { groupId: string; project: { id: string } }, orgId: string = ORG_ID) => [
        { orgId, groupId: w.groupId, projectId: w.project.id },
      ],
      effect: async (w: Awaited<ReturnType<typeof groupWorld>>) => {
        expect(await mappings(w.groupId)).toBe("[]");
        // Only what the group gave is taken: the direct Project Read-Only stays.
        expect(await roleOfTarget(w)).toEqual({ role: "read_only", group_role: null });
      },
    },
  ]) {
    test.describe(door.name, () => {
      test(`refuses ${NOT_OWNERS.join(", ")} and another tenant's ids, changing nothing`, async ({ request }) => {
        const w = await groupWorld({ mapped: door.mapped });
        const refused = async (as: Standing, args: unknown[], label: string) => {
          const before = await mappings(w.groupId);
          await expectRefusedUnchanged(() => callAction(request, ssoPath, door.name, args, session(as)), label);
          expect(await mappings(w.groupId), `${label}: mappings changed`).toBe(before);
        };
        for (const as of NOT_OWNERS) await refused(as, door.args(w), `${door.name} as ${as}`);
        await refused("owner", door.args(w, foreign.orgId), `${door.name} across tenants`);
        await refused("foreignOwner", door.args(w, foreign.orgId), `${door.name} by the other tenant's Owner in their organization`);
      });

      test("lets an Organization Owner through, with its effect in the database", async ({ request }) => {
        const w = await groupWorld({ mapped: door.mapped });
        const outcome = await callAction(request, ssoPath, door.name, door.args(w), session("owner"));
        expect(outcome.result, JSON.stringify(outcome)).toMatchObject({ ok: true });
        await door.effect(w);
      });
    });
  }
});
