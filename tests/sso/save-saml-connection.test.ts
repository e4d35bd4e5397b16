import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { X509Certificate } from "node:crypto";
import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, ssoConnections } from "@/db/schema";
import { describeActivity } from "@/components/sentences";
import * as m from "@/lib/membership";
import { metadataUrlProblem } from "@/lib/sso/saml-idp-metadata";
import { ssoUrls } from "@/lib/sso/urls";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, expectNothingChanged, worldOrgIds, type World } from "../membership/fixtures";
import { createTestIdp, IDP_KEYS, OTHER_KEYS } from "./saml-idp";

const MD = "urn:oasis:names:tc:SAML:2.0:metadata";

/** The test IdP's metadata with a change made through the DOM. */
function changedMetadata(xml: string, change: (doc: Document) => void): string {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  change(doc);
  return new XMLSerializer().serializeToString(doc);
}
const removeAll = (doc: Document, localName: string) => {
  for (const el of Array.from(doc.getElementsByTagNameNS(MD, localName))) el.parentNode!.removeChild(el);
};

/** A loopback HTTP server answering each path with a body; it counts the requests it got. */
function metadataServer(routes: Record<string, () => string>) {
  let server: Server;
  let requests = 0;
  return {
    start: async () => {
      server = createServer((req, res) => {
        requests++;
        const body = routes[req.url ?? ""];
        if (!body) return void res.writeHead(404).end();
        res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(body());
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    },
    url: (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    requests: () => requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.each(testTargets())("saveSamlConnection on %s", (kind) => {
  const database = useTestDatabase(kind);
  const idp = createTestIdp();
  const rotated = createTestIdp({ entityId: idp.entityId, ssoUrl: idp.ssoUrl, keys: OTHER_KEYS });
  const served = metadataServer({
    "/metadata": () => idp.metadataXml(),
    "/huge": () => `<EntityDescriptor xmlns="${MD}">${" ".repeat(1024 * 1024 + 10)}</EntityDescriptor>`,
  });
  let w: World;

  beforeAll(async () => {
    await served.start();
    w = await buildWorld(database.db);
  });
  afterAll(() => served.stop());

  const save = (input: Partial<m.SaveSamlConnectionInput> = {}, world = w, who = world.actors.owner) =>
    m.saveSamlConnection(database.db, who, { orgId: world.org.id, name: "Acme Okta", ...input });
  const rowOf = async (orgId: string) => (await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, orgId)))[0];

  it("an Owner connects pasted metadata: the IdP's entity id, SSO URL and certificate are kept, the change is in the activity", async () => {
    const world = await buildWorld(database.db);
    const saved = await save({ metadataXml: idp.metadataXml() }, world);
    const urls = ssoUrls(saved.id);
    const cert = new X509Certificate(IDP_KEYS.certificate);
    expect(saved).toMatchObject({
      name: "Acme Okta",
      idpEntityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      metadataUrl: null,
      certificates: [{ fingerprintSha256: cert.fingerprint256, notAfter: new Date(cert.validTo).toISOString() }],
      enabled: false,
      testedAt: null,
      sp: { acsUrl: urls.samlAcsUrl, entityId: urls.samlEntityId, metadataUrl: urls.samlMetadataUrl },
    });
    const row = await rowOf(world.org.id);
    expect(row).toMatchObject({ kind: "saml", samlIdpEntityId: idp.entityId, samlIdpSsoUrl: idp.ssoUrl, enabled: false });
    expect(new X509Certificate(row!.samlIdpCertificates!).fingerprint256).toBe(cert.fingerprint256);
    const mine = (await database.db.select().from(activity).where(eq(activity.orgId, world.org.id))).filter(
      (a) => a.action === "sso.connection_saved",
    );
    expect(mine).toHaveLength(1);
    expect(mine[0]!.detail).toBe(`SAML 2.0 · ${idp.entityId}`);
    expect(describeActivity(mine[0]!)).toContain("saved the single sign-on connection");
  });

  it("an Owner connects a metadata URL (fetched from a loopback server); the URL is kept", async () => {
    const world = await buildWorld(database.db);
    const saved = await save({ metadataUrl: served.url("/metadata") }, world);
    expect(saved).toMatchObject({ idpEntityId: idp.entityId, ssoUrl: idp.ssoUrl, metadataUrl: served.url("/metadata") });
    expect((await rowOf(world.org.id))!.samlMetadataUrl).toBe(served.url("/metadata"));
  });

  it("saving the same values again keeps the test and the switch; new values switch it off until tested again", async () => {
    const world = await buildWorld(database.db);
    const first = await save({ metadataXml: idp.metadataXml() }, world);
    const testedAt = new Date("2026-01-01T00:00:00Z");
    await database.db.update(ssoConnections).set({ testedAt, enabled: true, requireSso: true }).where(eq(ssoConnections.id, first.id));
    const renamed = await save({ name: "Acme SSO", metadataXml: idp.metadataXml() }, world);
    expect(renamed).toMatchObject({ id: first.id, name: "Acme SSO", enabled: true, testedAt: testedAt.toISOString() });
    expect((await rowOf(world.org.id))!.requireSso).toBe(true);
    // The IdP rolled its signing key over: what signs people in changed.
    const rolled = await save({ metadataXml: rotated.metadataXml() }, world);
    expect(rolled).toMatchObject({ id: first.id, enabled: false, testedAt: null });
    expect((await rowOf(world.org.id))!.requireSso).toBe(false);
    expect(rolled.certificates[0]!.fingerprintSha256).toBe(new X509Certificate(OTHER_KEYS.certificate).fingerprint256);
    expect(await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, world.org.id))).toHaveLength(1);
  });

  it("replacing an OpenID Connect connection keeps no OIDC secret and needs a new test", async () => {
    const world = await buildWorld(database.db);
    await database.db.insert(ssoConnections).values({
      orgId: world.org.id,
      kind: "oidc",
      name: "Old OIDC",
      oidcIssuer: "https://issuer.test",
      oidcClientId: "client",
      oidcClientSecretSealed: "sealed",
      testedAt: new Date(),
      enabled: true,
    });
    await save({ metadataXml: idp.metadataXml() }, world);
    expect(await rowOf(world.org.id)).toMatchObject({
      kind: "saml",
      oidcIssuer: null,
      oidcClientId: null,
      oidcClientSecretSealed: null,
      enabled: false,
      testedAt: null,
    });
  });

  it("only an Owner of this organization may save: members, outsiders, other Owners and signed-out callers change nothing, and no URL is fetched", async () => {
    const before = served.requests();
    await expectNothingChanged(database.db, worldOrgIds(w), async () => {
      for (const who of [w.actors.member, w.actors.admin, w.actors.readOnly]) {
        await expectDomainError(save({ metadataXml: idp.metadataXml() }, w, who), "FORBIDDEN");
        await expectDomainError(save({ metadataUrl: served.url("/metadata") }, w, who), "FORBIDDEN");
      }
      for (const who of [w.actors.outsider, w.foreign.owner]) {
        await expectDomainError(save({ metadataXml: idp.metadataXml() }, w, who), "NOT_FOUND");
        await expectDomainError(save({ metadataUrl: served.url("/metadata") }, w, who), "NOT_FOUND");
      }
      await expectDomainError(
        m.saveSamlConnection(database.db, null, { orgId: w.org.id, name: "x", metadataXml: idp.metadataXml() }),
        "UNAUTHENTICATED",
      );
    });
    expect(served.requests()).toBe(before);
    expect(await rowOf(w.org.id)).toBeUndefined();
  });

  describe("metadata that is refused, with a sentence on the field and nothing saved", () => {
    const refused = async (input: Partial<m.SaveSamlConnectionInput>, field: string, words: RegExp) => {
      const err = await expectNothingChanged(database.db, worldOrgIds(w), () => expectDomainError(save(input), "INVALID"));
      expect(err.message).toMatch(words);
      expect(err.fieldErrors?.[field]).toEqual([err.message]);
    };

    it("a DOCTYPE with an entity (XXE / entity expansion)", async () => {
      const xml = idp.metadataXml();
      const entity = `<!DOCTYPE EntityDescriptor [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`;
      await refused({ metadataXml: entity + xml.replace(idp.entityId, "&xxe;") }, "metadataXml", /DOCTYPE/);
      await refused({ metadataXml: `<!DOCTYPE EntityDescriptor>${xml}` }, "metadataXml", /DOCTYPE/);
    });

    it("no signing certificate", async () => {
      await refused(
        { metadataXml: changedMetadata(idp.metadataXml(), (d) => removeAll(d, "KeyDescriptor")) },
        "metadataXml",
        /no signing certificate/,
      );
    });

    it("no single sign-on URL for the HTTP-Redirect binding", async () => {
      const xml = changedMetadata(idp.metadataXml(), (d) => {
        for (const s of Array.from(d.getElementsByTagNameNS(MD, "SingleSignOnService")))
          if (s.getAttribute("Binding")!.endsWith("HTTP-Redirect")) s.parentNode!.removeChild(s);
      });
      await refused({ metadataXml: xml }, "metadataXml", /HTTP-Redirect/);
    });

    it("not metadata, not XML, an encryption-only key", async () => {
      await refused({ metadataXml: "<html><body>Sign in</body></html>" }, "metadataXml", /no EntityDescriptor/);
      await refused({ metadataXml: "not xml at all <" }, "metadataXml", /cannot be read/);
      const encryptionOnly = changedMetadata(idp.metadataXml(), (d) => {
        for (const k of Array.from(d.getElementsByTagNameNS(MD, "KeyDescriptor"))) k.setAttribute("use", "encryption");
      });
      await refused({ metadataXml: encryptionOnly }, "metadataXml", /no signing certificate/);
    });

    it("both or neither of XML and URL; a URL that is not http(s), answers 404 or sends more than 1 MB", async () => {
      await refused({ metadataXml: idp.metadataXml(), metadataUrl: served.url("/metadata") }, "metadataUrl", /not both/);
      await refused({}, "metadataXml", /Paste/);
      await refused({ metadataUrl: "ftp://idp.test/metadata" }, "metadataUrl", /https:\/\//);
      await refused({ metadataUrl: served.url("/missing") }, "metadataUrl", /answered 404/);
      await refused({ metadataUrl: served.url("/huge") }, "metadataUrl", /larger than 1 MB/);
    });
  });
});

describe("metadataUrlProblem", () => {
  it("allows https; plain http only outside production or with SSO_ALLOW_HTTP_METADATA=1", () => {
    const production = { NODE_ENV: "production", SSO_ALLOW_HTTP_METADATA: "0" } as const;
    expect(metadataUrlProblem("https://idp.test/metadata", production)).toBeNull();
    expect(metadataUrlProblem("http://idp.test/metadata", production)).toMatch(/https:\/\//);
    expect(metadataUrlProblem("http://idp.test/metadata", { ...production, SSO_ALLOW_HTTP_METADATA: "1" })).toBeNull();
    expect(metadataUrlProblem("http://idp.test/metadata", { NODE_ENV: "development", SSO_ALLOW_HTTP_METADATA: "0" })).toBeNull();
    expect(metadataUrlProblem("https://user:pw@idp.test/metadata", production)).toMatch(/user name/);
    expect(metadataUrlProblem("file:///etc/passwd", { NODE_ENV: "development", SSO_ALLOW_HTTP_METADATA: "1" })).toMatch(/https:\/\//);
  });
});
