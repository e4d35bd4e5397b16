import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { samlAssertionIds } from "@/db/schema";
import { samlAuthorizationUrl, samlProfile, samlSpMetadata, SAML_CLOCK_SKEW_MS } from "@/lib/sso/saml";
import { SsoError, type SsoFailureReason } from "@/lib/sso/types";
import { testTargets, useTestDatabase } from "../db";
import {
  assertionOf,
  connectTestIdp,
  decodeResponse,
  directChildren,
  encodeResponse,
  evilCopy,
  firstNameId,
  newRequestId,
  NS,
  type SamlSetup,
} from "./saml-fixtures";
import { OTHER_KEYS, PERSISTENT_FORMAT } from "./saml-idp";

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe.each(testTargets())("SAML 2.0 protocol on %s", (kind) => {
  const database = useTestDatabase(kind);
  let s: SamlSetup;

  beforeAll(async () => {
    s = await connectTestIdp(database.db);
  });

  const profile = (SAMLResponse: string, requestId: string | null) =>
    samlProfile(database.db, s.connection, { body: { SAMLResponse, RelayState: "x" }, requestId });

  async function expectRefused(SAMLResponse: string, requestId: string | null, reason: SsoFailureReason = "invalid_response") {
    const err = await profile(SAMLResponse, requestId).then(
      (p) => new Error(`accepted: ${JSON.stringify(p)}`),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SsoError);
    expect((err as SsoError).reason, (err as Error).message).toBe(reason);
    return err as SsoError;
  }

  /** The IdP's answer to a new request, made with `options`, is refused as invalid. */
  async function expectResponseRefused(options: Parameters<typeof s.respond>[1]) {
    const requestId = newRequestId();
    await expectRefused(await s.respond(requestId, options), requestId);
  }

  describe("the AuthnRequest and the SP metadata", () => {
    it("sends an AuthnRequest by HTTP-Redirect to the IdP's SSO URL, with RelayState, and returns its ID", async () => {
      const { url, requestId } = await samlAuthorizationUrl(s.connection, { relayState: "state-123" });
      expect(`${url.origin}${url.pathname}`).toBe(s.idp.ssoUrl);
      expect(url.searchParams.get("RelayState")).toBe("state-123");
      const xml = inflateRawSync(Buffer.from(url.searchParams.get("SAMLRequest")!, "base64")).toString("utf8");
      const request = new DOMParser().parseFromString(xml, "text/xml").documentElement;
      expect(request.localName).toBe("AuthnRequest");
      expect(request.getAttribute("ID")).toBe(requestId);
      expect(request.getAttribute("Destination")).toBe(s.idp.ssoUrl);
      expect(request.getAttribute("AssertionConsumerServiceURL")).toBe(s.urls.samlAcsUrl);
      expect(directChildren(request, NS.saml, "Issuer")[0]!.textContent).toBe(s.urls.samlEntityId);
      const again = await samlAuthorizationUrl(s.connection, { relayState: "state-456" });
      expect(again.requestId).not.toBe(requestId);
    });

    it("publishes SP metadata: our entity id, the ACS URL for HTTP-POST, signed assertions wanted", () => {
      const doc = new DOMParser().parseFromString(samlSpMetadata(s.connection), "text/xml");
      expect(doc.documentElement.getAttribute("entityID")).toBe(s.urls.samlEntityId);
      const sp = doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "SPSSODescriptor")[0]!;
      expect(sp.getAttribute("WantAssertionsSigned")).toBe("true");
      const acs = doc.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:metadata", "AssertionConsumerService")[0]!;
      expect(acs.getAttribute("Location")).toBe(s.urls.samlAcsUrl);
      expect(acs.getAttribute("Binding")).toBe("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST");
    });
  });

  describe("a signed answer to our request", () => {
    it("is accepted: the address lower-cased, the NameID as subject, the assertion id remembered until it expires", async () => {
      const requestId = newRequestId();
      const notOnOrAfter = minutes(5);
      const response = await s.respond(requestId, { email: "Ana.Lima@Acme.TEST", notOnOrAfter, attributes: { displayName: "Ana Lima" } });
      const assertionId = assertionOf(decodeResponse(response)).getAttribute("ID")!;
      expect(await profile(response, requestId)).toEqual({ subject: "Ana.Lima@Acme.TEST", email: "ana.lima@acme.test", name: "Ana Lima" });
      const [row] = await database.db
        .select()
        .from(samlAssertionIds)
        .where(and(eq(samlAssertionIds.connectionId, s.connection.id), eq(samlAssertionIds.assertionId, assertionId)));
      expect(row!.expiresAt.getTime()).toBe(Math.floor(notOnOrAfter.getTime()) + SAML_CLOCK_SKEW_MS);
    });

    it("is accepted when the whole response is signed as well", async () => {
      const requestId = newRequestId();
      await expect(profile(await s.respond(requestId, { sign: "both" }), requestId)).resolves.toMatchObject({ email: "ana@acme.test" });
    });

    it("takes the address from a mail attribute when the NameID is not an address", async () => {
      const requestId = newRequestId();
      const response = await s.respond(requestId, {
        nameId: "00u1abcd",
        nameIdFormat: PERSISTENT_FORMAT,
        attributes: { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "Bo@Acme.test", givenName: "Bo", sn: "Ek" },
      });
      expect(await profile(response, requestId)).toEqual({ subject: "00u1abcd", email: "bo@acme.test", name: "Bo Ek" });
    });

    it("is accepted within the 60-second clock skew (the IdP's clock 30 s ahead)", async () => {
      const requestId = newRequestId();
      const response = await s.respond(requestId, { notBefore: new Date(Date.now() + 30_000) });
      await expect(profile(response, requestId)).resolves.toMatchObject({ email: "ana@acme.test" });
    });
  });

  describe("signatures", () => {
    it("refuses a response whose assertion is not signed, even when the response is", async () => {
      await expectResponseRefused({ sign: "response" });
    });

    it("refuses a response with no signature at all", async () => {
      const requestId = newRequestId();
      const doc = decodeResponse(await s.respond(requestId, { sign: "both" }));
      for (const parent of [doc.documentElement, assertionOf(doc)])
        for (const signature of directChildren(parent, NS.ds, "Signature")) parent.removeChild(signature);
      await expectRefused(encodeResponse(doc), requestId);
    });

    it("refuses an assertion signed with another key (a well-formed signature by someone else)", async () => {
      await expectResponseRefused({ keys: OTHER_KEYS, sign: "both" });
    });

    it("refuses a signed assertion changed after signing", async () => {
      const requestId = newRequestId();
      const doc = decodeResponse(await s.respond(requestId));
      const subject = directChildren(assertionOf(doc), NS.saml, "Subject")[0]!;
      directChildren(subject, NS.saml, "NameID")[0]!.textContent = "mallory@acme.test";
      await expectRefused(encodeResponse(doc), requestId);
    });
  });

  describe("signature wrapping (XSW)", () => {
    it("refuses an unsigned evil assertion inserted before the signed one", async () => {
      const requestId = newRequestId();
      const doc = decodeResponse(await s.respond(requestId));
      const signed = assertionOf(doc);
      doc.documentElement.insertBefore(evilCopy(signed, "mallory@acme.test"), signed);
      expect(firstNameId(doc)).toBe("mallory@acme.test");
      await expectRefused(encodeResponse(doc), requestId);
    });

    it("refuses an evil assertion in the signed one's place, the signed one moved inside it", async () => {
      const requestId = newRequestId();
      const doc = decodeResponse(await s.respond(requestId));
      const signed = assertionOf(doc);
      const evil = evilCopy(signed, "mallory@acme.test");
      doc.documentElement.replaceChild(evil, signed);
      evil.appendChild(signed);
      expect(firstNameId(doc)).toBe("mallory@acme.test");
      await expectRefused(encodeResponse(doc), requestId);
    });

    it("refuses an evil copy that keeps the signed assertion's ID and signature, the original hidden in Extensions", async () => {
      const requestId = newRequestId();
      const doc = decodeResponse(await s.respond(requestId));
      const signed = assertionOf(doc);
      const evil = evilCopy(signed, "mallory@acme.test", { keepIdAndSignature: true });
      const extensions = doc.createElementNS(NS.samlp, "samlp:Extensions");
      doc.documentElement.replaceChild(evil, signed);
      doc.documentElement.insertBefore(extensions, doc.documentElement.firstChild!.nextSibling);
      extensions.appendChild(signed);
      expect(firstNameId(doc)).toBe("mallory@acme.test");
      await expectRefused(encodeResponse(doc), requestId);
    });

    it("refuses a validly signed response moved inside another response that carries an evil assertion", async () => {
      const requestId = newRequestId();
      const doc = decodeResponse(await s.respond(requestId, { sign: "both" }));
      const original = doc.documentElement;
      const outer = original.cloneNode(false) as Element;
      outer.setAttribute("ID", "_outer");
      for (const name of ["Issuer", "Status"]) {
        const ns = name === "Issuer" ? NS.saml : NS.samlp;
        outer.appendChild(directChildren(original, ns, name)[0]!.cloneNode(true));
      }
      const extensions = doc.createElementNS(NS.samlp, "samlp:Extensions");
      outer.appendChild(evilCopy(assertionOf(doc), "mallory@acme.test"));
      doc.replaceChild(outer, original);
      outer.insertBefore(extensions, outer.lastChild);
      extensions.appendChild(original);
      expect(firstNameId(doc)).toBe("mallory@acme.test");
      await expectRefused(encodeResponse(doc), requestId);
    });
  });

  describe("conditions", () => {
    it("refuses another audience (an assertion made for another service provider)", async () => {
      await expectResponseRefused({ audience: "https://other-sp.test/metadata" });
    });

    it("refuses another recipient in the bearer confirmation", async () => {
      await expectResponseRefused({ recipient: "https://other-sp.test/acs" });
    });

    it("refuses a confirmation that is not a bearer one (holder-of-key cannot be checked here)", async () => {
      await expectResponseRefused({ confirmationMethod: "urn:oasis:names:tc:SAML:2.0:cm:holder-of-key" });
    });

    it("refuses a response addressed (Destination) to another ACS", async () => {
      await expectResponseRefused({ destination: "https://other-sp.test/acs", sign: "both" });
    });

    it("refuses an assertion issued by another entity, even signed with the IdP's key", async () => {
      await expectResponseRefused({ issuer: "https://evil-idp.test/metadata" });
    });

    it("refuses an expired assertion (beyond the clock skew)", async () => {
      const requestId = newRequestId();
      // The confirmation is still valid: only the assertion's Conditions have ended.
      const response = await s.respond(requestId, {
        notBefore: minutes(-10),
        notOnOrAfter: minutes(-2),
        confirmationNotOnOrAfter: minutes(5),
      });
      await expectRefused(response, requestId);
    });

    it("refuses an assertion whose bearer confirmation has expired", async () => {
      await expectResponseRefused({ confirmationNotOnOrAfter: minutes(-2) });
    });

    it("refuses an assertion that is not valid yet (beyond the clock skew)", async () => {
      await expectResponseRefused({ notBefore: minutes(3), notOnOrAfter: minutes(8) });
    });

    it("refuses a DOCTYPE in the response", async () => {
      const requestId = newRequestId();
      const xml = Buffer.from(await s.respond(requestId), "base64").toString("utf8");
      const withDoctype = `<!DOCTYPE samlp:Response [<!ENTITY x "y">]>${xml}`;
      await expectRefused(Buffer.from(withDoctype).toString("base64"), requestId);
    });
  });

  describe("InResponseTo", () => {
    it("refuses an answer to another request", async () => {
      const requestId = newRequestId();
      await expectRefused(await s.respond(newRequestId()), requestId);
    });

    it("refuses when the signed confirmation answers another request, whatever the response says", async () => {
      await expectResponseRefused({ confirmationInResponseTo: newRequestId() });
    });

    it("refuses when the signed confirmation names no request", async () => {
      await expectResponseRefused({ confirmationInResponseTo: null });
    });

    it("refuses when the response answers another request, whatever the confirmation says", async () => {
      await expectResponseRefused({ responseInResponseTo: newRequestId() });
    });

    it("refuses an unsolicited (IdP-initiated) response", async () => {
      const response = await s.respond(null);
      await expectRefused(response, null);
      await expectRefused(response, newRequestId());
    });
  });

  describe("the address", () => {
    it("refuses an assertion without an email: NameID not an address and no mail attribute", async () => {
      const requestId = newRequestId();
      const response = await s.respond(requestId, {
        nameId: "00u1abcd",
        nameIdFormat: PERSISTENT_FORMAT,
        attributes: { givenName: "Ana" },
      });
      await expectRefused(response, requestId, "email_missing");
    });

    it("refuses an emailAddress NameID that is not an address", async () => {
      const requestId = newRequestId();
      await expectRefused(await s.respond(requestId, { nameId: "not an address" }), requestId, "email_missing");
    });
  });

  describe("replay", () => {
    it("accepts an assertion once: the same response again is refused", async () => {
      const requestId = newRequestId();
      const response = await s.respond(requestId);
      await expect(profile(response, requestId)).resolves.toMatchObject({ email: "ana@acme.test" });
      await expectRefused(response, requestId, "replayed");
    });

    it("refuses the same assertion ID in another response (re-signed by the IdP)", async () => {
      const requestId = newRequestId();
      await expect(profile(await s.respond(requestId, { assertionId: "_fixed-id-1" }), requestId)).resolves.toBeTruthy();
      const second = newRequestId();
      await expectRefused(await s.respond(second, { assertionId: "_fixed-id-1" }), second, "replayed");
    });
  });
});

describe("SAML 2.0 replay across instances (Postgres server)", () => {
  const database = useTestDatabase("postgres");

  it("two instances (their own pools and node-saml objects) given the same response at once: exactly one accepts", async () => {
    const s = await connectTestIdp(database.db);
    const instances = [database.connectAgain(2), database.connectAgain(2)];
    for (let round = 0; round < 5; round++) {
      const requestId = newRequestId();
      const response = await s.respond(requestId);
      const outcomes = await Promise.allSettled(
        instances.map((instance) =>
          samlProfile(instance.db, s.connection, { body: { SAMLResponse: response, RelayState: "x" }, requestId }),
        ),
      );
      const accepted = outcomes.filter((o) => o.status === "fulfilled");
      const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
      expect(accepted).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(SsoError);
      expect((refused[0] as SsoError).reason).toBe("replayed");
    }
  });
});
