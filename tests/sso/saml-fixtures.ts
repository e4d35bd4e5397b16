import { DOMParser, XMLSerializer } from "@xmldom/xmldom";
import type { Db } from "@/db/client";
import { saveSamlConnection } from "@/lib/membership";
import { loadSsoConnection } from "@/lib/membership/sso/load-sso-connection";
import type { SsoConnection } from "@/lib/sso/types";
import { ssoUrls } from "@/lib/sso/urls";
import { createOrganization, createUser, addOrgMembers } from "../membership/fixtures";
import { createTestIdp, type ResponseSpec, type TestIdp } from "./saml-idp";

export const NS = {
  samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
  saml: "urn:oasis:names:tc:SAML:2.0:assertion",
  ds: "http://www.w3.org/2000/09/xmldsig#",
};

export interface SamlSetup {
  idp: TestIdp;
  connection: SsoConnection;
  urls: ReturnType<typeof ssoUrls>;
  /** A response to request `requestId` with these changes, from the test IdP. */
  respond(requestId: string | null, changes?: Partial<ResponseSpec>): Promise<string>;
}

/** An organization whose Owner connected it to a fresh test IdP through saveSamlConnection. */
export async function connectTestIdp(db: Db): Promise<SamlSetup> {
  const org = await createOrganization(db);
  const owner = await createUser(db, "owner");
  await addOrgMembers(db, org.id, [{ user: owner, role: "owner" }]);
  const idp = createTestIdp();
  const saved = await saveSamlConnection(db, owner, { orgId: org.id, name: "Test IdP", metadataXml: idp.metadataXml() });
  const connection = (await loadSsoConnection(db, saved.id))!;
  const urls = ssoUrls(connection.id);
  return {
    idp,
    connection,
    urls,
    respond: (requestId, changes = {}) =>
      idp.response({ acsUrl: urls.samlAcsUrl, audience: urls.samlEntityId, inResponseTo: requestId, email: "ana@acme.test", ...changes }),
  };
}

export const newRequestId = () => `_req${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;

// ── Signature-wrapping helpers: rearrange a validly signed response with @xmldom ──

export function decodeResponse(base64: string): Document {
  return new DOMParser().parseFromString(Buffer.from(base64, "base64").toString("utf8"), "text/xml");
}

export function encodeResponse(doc: Document): string {
  return Buffer.from(new XMLSerializer().serializeToString(doc), "utf8").toString("base64");
}

export function directChildren(parent: Node, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === name) out.push(n as Element);
  return out;
}

/** The one assertion directly under the response. */
export function assertionOf(doc: Document): Element {
  const [assertion] = directChildren(doc.documentElement, NS.saml, "Assertion");
  if (!assertion) throw new Error("no assertion");
  return assertion;
}

/** A copy of a signed assertion that names someone else: its signature removed, a new ID unless kept. */
export function evilCopy(assertion: Element, email: string, options: { keepIdAndSignature?: boolean } = {}): Element {
  const evil = assertion.cloneNode(true) as Element;
  if (!options.keepIdAndSignature) {
    for (const signature of directChildren(evil, NS.ds, "Signature")) evil.removeChild(signature);
    evil.setAttribute("ID", `_evil${Math.random().toString(16).slice(2)}`);
  }
  const subject = directChildren(evil, NS.saml, "Subject")[0]!;
  directChildren(subject, NS.saml, "NameID")[0]!.textContent = email;
  return evil;
}

/** The NameID of the first assertion directly under the response (what a naive reader would take). */
export function firstNameId(doc: Document): string | null {
  const subject = directChildren(assertionOf(doc), NS.saml, "Subject")[0];
  return subject ? (directChildren(subject, NS.saml, "NameID")[0]?.textContent ?? null) : null;
}
