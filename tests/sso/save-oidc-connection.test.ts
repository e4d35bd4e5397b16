import { and, asc, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activity, ssoConnections } from "@/db/schema";
import { describeActivity } from "@/components/sentences";
import { openLink, sealContext } from "@/lib/email/sealed";
import { authenticateApiKey, createApiKey, saveOidcConnection, type SaveOidcConnectionInput } from "@/lib/membership";
import { parseIssuer } from "@/lib/sso/oidc-discovery";
import { ssoUrls } from "@/lib/sso/urls";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, snapshot, worldOrgIds, type World } from "../membership/fixtures";
import { closedPort, startNotAnIdp } from "./oidc-fixtures";
import { startOidcProvider, type TestOidcProvider } from "./oidc-provider";

const SECRET = "s3cret-for-the-console-0123456789";

/** Every connection row of both organizations and the world's rows, to prove a refusal changed nothing. */
async function everything(db: Db, w: World) {
  const rows = await db
    .select()
    .from(ssoConnections)
    .where(inArray(ssoConnections.orgId, worldOrgIds(w)))
    .orderBy(asc(ssoConnections.id));
  return { rows, world: await snapshot(db, worldOrgIds(w)) };
}

describe.each(testTargets())("saveOidcConnection on %s", (kind) => {
  const database = useTestDatabase(kind);
  let idp: TestOidcProvider;
  let other: TestOidcProvider;

  beforeAll(async () => {
    [idp, other] = await Promise.all([startOidcProvider(), startOidcProvider()]);
  });
  afterAll(async () => {
    await Promise.all([idp?.close(), other?.close()]);
  });

  const input = (w: World, extra: Partial<SaveOidcConnectionInput> = {}): SaveOidcConnectionInput => ({
    orgId: w.org.id,
    name: "Acme Okta",
    issuer: idp.issuer,
    clientId: "console-client",
    clientSecret: SECRET,
    ...extra,
  });
  const stored = async (w: World) => (await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, w.org.id)))[0]!;

  it("an Owner connects the organization: the issuer answered discovery, the secret is stored sealed and never returned", async () => {
    const w = await buildWorld(database.db);
    const view = await saveOidcConnection(database.db, w.actors.owner, input(w));
    expect(view).toEqual({
      id: expect.any(String),
      name: "Acme Okta",
      issuer: idp.issuer,
      clientId: "console-client",
      hasSecret: true,
      redirectUri: ssoUrls(view.id).oidcRedirectUri,
      enabled: false,
      testedAt: null,
    });
    expect(JSON.stringify(view)).not.toContain(SECRET);
    expect(idp.requests).toContain("GET /.well-known/openid-configuration");
    const row = await stored(w);
    expect(row).toMatchObject({ id: view.id, kind: "oidc", oidcIssuer: idp.issuer, oidcClientId: "console-client", enabled: false });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row.oidcClientSecretSealed).toMatch(/^sealed:v1:/);
    expect(openLink(row.oidcClientSecretSealed!, sealContext("sso-oidc-secret", row.id))).toBe(SECRET);
    // Bound to its connection: the sealed value copied to another connection opens nowhere.
    expect(() => openLink(row.oidcClientSecretSealed!, sealContext("sso-oidc-secret", w.foreign.org.id))).toThrow();
    const log = await database.db
      .select()
      .from(activity)
      .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "sso.connection_saved")));
    expect(log).toHaveLength(1);
    expect(log[0]!.detail).toBe(`Acme Okta (OpenID Connect, ${idp.issuer})`);
    expect(JSON.stringify(log)).not.toContain(SECRET);
    expect(describeActivity({ ...log[0]!, oldRole: null, newRole: null })).toContain("saved the single sign-on connection");
  });

  it("anyone but an Owner of this organization is refused, nothing changes and the issuer is never fetched", async () => {
    const w = await buildWorld(database.db);
    await saveOidcConnection(database.db, w.actors.owner, input(w));
    const projectKey = await createApiKey(database.db, w.actors.owner, {
      orgId: w.org.id,
      name: "project key",
      scope: "projects",
      projects: [{ projectId: w.project.id, role: "admin" }],
    });
    const refusals = [
      [null, "UNAUTHENTICATED"],
      [w.actors.member, "FORBIDDEN"],
      [w.actors.admin, "FORBIDDEN"],
      [w.actors.readOnly, "FORBIDDEN"],
      [await authenticateApiKey(database.db, projectKey.secret), "FORBIDDEN"],
      [w.actors.outsider, "NOT_FOUND"],
      [w.foreign.owner, "NOT_FOUND"],
    ] as const;
    const before = await everything(database.db, w);
    const asked = idp.requests.length;
    for (const [who, code] of refusals) {
      await expectDomainError(saveOidcConnection(database.db, who, input(w, { clientId: "hijack", issuer: other.issuer })), code);
    }
    expect(await everything(database.db, w)).toEqual(before);
    expect(idp.requests.length + other.requests.length).toBe(asked);
  });

  it("refuses an issuer that is not an OpenID Connect provider with a sentence on the field, and saves nothing", async () => {
    const w = await buildWorld(database.db);
    const notIdp = await startNotAnIdp();
    try {
      const cases: [string, RegExp][] = [
        ["not a url", /not a URL/],
        ["ftp://idp.example.com", /must start with https/],
        [`http://user:pw@127.0.0.1:${idp.port}`, /user name or password/],
        [`${idp.issuer}#frag`, /fragment/],
        [`${idp.issuer}?tenant=1`, /query/],
        [`http://127.0.0.1:${await closedPort()}`, /did not answer discovery .* could not be reached/],
        [notIdp.url, /did not answer discovery .* not answer with an OpenID Connect discovery document/],
        // The same provider under another name: its document names 127.0.0.1, not localhost.
        [`http://localhost:${idp.port}`, /names a different issuer/],
      ];
      const before = await everything(database.db, w);
      for (const [issuer, message] of cases) {
        const err = await expectDomainError(saveOidcConnection(database.db, w.actors.owner, input(w, { issuer })), "INVALID");
        expect(err.message).toMatch(message);
        expect(err.fieldErrors?.issuer?.[0]).toBe(err.message);
      }
      expect(await everything(database.db, w)).toEqual(before);
    } finally {
      await notIdp.close();
    }
  });

  it("http issuers only outside production (or with SSO_ALLOW_HTTP_ISSUER=1)", () => {
    expect(parseIssuer("http://idp.example.com", false)).toEqual({ problem: "The issuer URL must start with https://." });
    expect("url" in parseIssuer("http://idp.example.com", true)).toBe(true);
    expect("url" in parseIssuer("https://idp.example.com", false)).toBe(true);
    const slash = parseIssuer("https://login.microsoftonline.com/tenant/v2.0/", false);
    expect("url" in slash && slash.url.href).toBe("https://login.microsoftonline.com/tenant/v2.0");
  });

  it("needs a name, a client ID and, to create, a client secret", async () => {
    const w = await buildWorld(database.db);
    const before = await everything(database.db, w);
    const noSecret = await expectDomainError(saveOidcConnection(database.db, w.actors.owner, input(w, { clientSecret: " " })), "INVALID");
    expect(noSecret.fieldErrors).toEqual({ clientSecret: ["Enter the client secret."] });
    const noClient = await expectDomainError(saveOidcConnection(database.db, w.actors.owner, input(w, { clientId: "" })), "INVALID");
    expect(Object.keys(noClient.fieldErrors ?? {})).toEqual(["clientId"]);
    const spaced = await expectDomainError(saveOidcConnection(database.db, w.actors.owner, input(w, { clientId: "a b" })), "INVALID");
    expect(Object.keys(spaced.fieldErrors ?? {})).toEqual(["clientId"]);
    const noName = await expectDomainError(saveOidcConnection(database.db, w.actors.owner, input(w, { name: "  " })), "INVALID");
    expect(Object.keys(noName.fieldErrors ?? {})).toEqual(["name"]);
    expect(await everything(database.db, w)).toEqual(before);
  });

  it("new provider values make the connection untested and off again; a new name or a blank secret does not", async () => {
    const w = await buildWorld(database.db);
    const { id } = await saveOidcConnection(database.db, w.actors.owner, input(w));
    const markTested = () =>
      database.db.update(ssoConnections).set({ testedAt: new Date(), enabled: true, requireSso: true }).where(eq(ssoConnections.id, id));
    const live = { enabled: true, requireSso: true, testedAt: expect.any(Date) };
    const reset = { enabled: false, requireSso: false, testedAt: null };

    await markTested();
    // Renamed, secret left blank (kept), the same secret typed again: still the same provider.
    await saveOidcConnection(database.db, w.actors.owner, input(w, { name: "Acme Okta (prod)", clientSecret: "" }));
    expect(await stored(w)).toMatchObject({ id, name: "Acme Okta (prod)", ...live });
    await saveOidcConnection(database.db, w.actors.owner, input(w, { clientSecret: SECRET }));
    expect(await stored(w)).toMatchObject(live);
    expect(openLink((await stored(w)).oidcClientSecretSealed!, sealContext("sso-oidc-secret", id))).toBe(SECRET);

    await saveOidcConnection(database.db, w.actors.owner, input(w, { clientId: "another-client", clientSecret: null }));
    expect(await stored(w)).toMatchObject({ id, oidcClientId: "another-client", ...reset });

    await markTested();
    await saveOidcConnection(database.db, w.actors.owner, input(w, { clientId: "another-client", clientSecret: "rotated-secret" }));
    const rotated = await stored(w);
    expect(rotated).toMatchObject(reset);
    expect(openLink(rotated.oidcClientSecretSealed!, sealContext("sso-oidc-secret", id))).toBe("rotated-secret");

    await markTested();
    await saveOidcConnection(
      database.db,
      w.actors.owner,
      input(w, { clientId: "another-client", issuer: `${other.issuer}/`, clientSecret: "" }),
    );
    // The issuer as the provider names it (no trailing slash), and tested again before use.
    expect(await stored(w)).toMatchObject({ id, oidcIssuer: other.issuer, ...reset });
    const saved = await database.db
      .select()
      .from(activity)
      .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "sso.connection_saved")));
    expect(saved).toHaveLength(6);
  });

  it("a SAML connection becomes an OpenID Connect one (its SAML values cleared), which needs a secret", async () => {
    const w = await buildWorld(database.db);
    const [saml] = await database.db
      .insert(ssoConnections)
      .values({
        orgId: w.org.id,
        kind: "saml",
        name: "Acme SAML",
        samlIdpEntityId: "https://idp.example.com/saml",
        samlIdpSsoUrl: "https://idp.example.com/sso",
        samlIdpCertificates: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        testedAt: new Date(),
        enabled: true,
      })
      .returning();
    await expectDomainError(saveOidcConnection(database.db, w.actors.owner, input(w, { clientSecret: "" })), "INVALID");
    const view = await saveOidcConnection(database.db, w.actors.owner, input(w));
    expect(view.id).toBe(saml!.id);
    expect(await stored(w)).toMatchObject({
      kind: "oidc",
      samlIdpEntityId: null,
      samlIdpSsoUrl: null,
      samlIdpCertificates: null,
      samlMetadataUrl: null,
      enabled: false,
      testedAt: null,
    });
  });
});
