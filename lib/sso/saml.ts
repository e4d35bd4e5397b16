import "server-only";
import {
  generateServiceProviderMetadata,
  SAML,
  SamlStatusError,
  ValidateInResponseTo,
  type CacheProvider,
  type SamlConfig,
} from "@node-saml/node-saml";
import { randomBytes } from "node:crypto";
import type { Db } from "@/db/client";
import { samlAssertionIds } from "@/db/schema";
import { emailProblem, normalizeEmail } from "@/lib/membership/email-list";
import { splitCertificates } from "./saml-certificates";
import { SsoError, type SsoConnection, type SsoProfile } from "./types";
import { ssoUrls } from "./urls";
import { attribute, childElement, childElements, hasDoctypeOrEntity, parseXmlStrictly, SAML_NS } from "./xml";

/** How far the identity provider's clock may be from ours when validity windows are checked. */
export const SAML_CLOCK_SKEW_MS = 60_000;
/** How long an assertion id is remembered when the assertion names no end of validity. */
const REPLAY_FALLBACK_MS = 60 * 60 * 1000;
/** A SAMLResponse (base64) larger than this is not read. */
const MAX_RESPONSE_CHARS = 512 * 1024;

const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
const EMAIL_ATTRIBUTES = [
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
  "email",
  "mail",
  "urn:oid:0.9.2342.19200300.100.1.3",
];
const NAME_ATTRIBUTES = [
  "http://schemas.microsoft.com/identity/claims/displayname",
  "displayName",
  "name",
  "urn:oid:2.16.840.1.113730.3.1.241",
];
const GIVEN_NAME = ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname", "givenName", "firstName", "urn:oid:2.5.4.42"];
const SURNAME = ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname", "sn", "surname", "lastName", "urn:oid:2.5.4.4"];

interface SamlValues {
  idpEntityId: string;
  ssoUrl: string;
  certificates: string[];
}

/** The IdP's values of a SAML connection; a connection without them cannot be used. */
function samlValues(connection: SsoConnection): SamlValues {
  const certificates = splitCertificates(connection.samlIdpCertificates);
  if (connection.kind !== "saml" || !connection.samlIdpEntityId || !connection.samlIdpSsoUrl || certificates.length === 0)
    throw new SsoError("connection_disabled", `connection ${connection.id} has no SAML values`);
  return { idpEntityId: connection.samlIdpEntityId, ssoUrl: connection.samlIdpSsoUrl, certificates };
}

/** node-saml's options for one connection: our entity id and ACS URL, the IdP's address and certificates. */
function samlOptions(connection: SsoConnection, values: SamlValues): SamlConfig {
  const urls = ssoUrls(connection.id);
  return {
    entryPoint: values.ssoUrl,
    issuer: urls.samlEntityId,
    audience: urls.samlEntityId,
    callbackUrl: urls.samlAcsUrl,
    idpCert: values.certificates,
    idpIssuer: values.idpEntityId,
    // No NameIDPolicy format and no RequestedAuthnContext: the IdP uses the format configured in
    // it, and an MFA or passwordless sign-in is not refused for not being "PasswordProtectedTransport".
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    // The assertion itself must carry a valid signature by one of the IdP's certificates; a
    // signature on the response alone (which node-saml's default would accept) is not enough.
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
  };
}

/**
 * The AuthnRequest for a sign-in (HTTP-Redirect binding, RelayState = the attempt's state). Its
 * ID is made here and returned, so the attempt can remember it and the answer must name it.
 */
export async function samlAuthorizationUrl(connection: SsoConnection, p: { relayState: string }): Promise<{ url: URL; requestId: string }> {
  const values = samlValues(connection);
  const requestId = `_${randomBytes(20).toString("hex")}`;
  const saml = new SAML({ ...samlOptions(connection, values), generateUniqueId: () => requestId });
  const url = await saml.getAuthorizeUrlAsync(p.relayState, undefined, {});
  return { url: new URL(url), requestId };
}

/** node-saml's request-id cache, holding only the request this answer must be for. */
function onlyRequest(requestId: string): CacheProvider {
  let issuedAt: string | null = new Date().toISOString();
  return {
    saveAsync: async () => null,
    getAsync: async (key) => (key === requestId ? issuedAt : null),
    removeAsync: async (key) => {
      if (key !== requestId) return null;
      const was = issuedAt;
      issuedAt = null;
      return was;
    },
  };
}

/**
 * Checks a POSTed SAMLResponse and returns who signed in. node-saml (xml-crypto) checks the
 * assertion's signature by the IdP's certificates (and signature wrapping), the audience, the
 * validity window (60 s skew) and InResponseTo; then, on the signed assertion only: the issuer,
 * a bearer confirmation for our ACS URL answering this request, the response's Destination,
 * and the assertion is accepted once (saml_assertion_ids, shared by every instance).
 */
export async function samlProfile(
  db: Db,
  connection: SsoConnection,
  p: { body: Record<string, string>; requestId: string | null; now?: Date },
): Promise<SsoProfile> {
  const now = p.now ?? new Date();
  const values = samlValues(connection);
  // IdP-initiated sign-in is not supported: every answer must name a request this console sent.
  if (!p.requestId) throw new SsoError("invalid_response", "no AuthnRequest id for this attempt (IdP-initiated responses are refused)");
  const encoded = p.body.SAMLResponse;
  if (typeof encoded !== "string" || encoded.length === 0 || encoded.length > MAX_RESPONSE_CHARS)
    throw new SsoError("invalid_response", "no SAMLResponse, or one too large");
  const xml = Buffer.from(encoded, "base64").toString("utf8");
  if (hasDoctypeOrEntity(xml)) throw new SsoError("invalid_response", "the response declares a DOCTYPE or an entity");

  const acsUrl = ssoUrls(connection.id).samlAcsUrl;
  const saml = new SAML({
    ...samlOptions(connection, values),
    validateInResponseTo: ValidateInResponseTo.always,
    cacheProvider: onlyRequest(p.requestId),
  });
  let assertionXml: string;
  let responseXml: string;
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: encoded });
    if (!profile?.getAssertionXml || !profile.getSamlResponseXml) throw new Error("no assertion in the response");
    assertionXml = profile.getAssertionXml();
    responseXml = profile.getSamlResponseXml();
  } catch (err) {
    if (err instanceof SamlStatusError) throw new SsoError("provider_error", short(err));
    throw new SsoError("invalid_response", short(err));
  }

  // From here on only the signed assertion (what node-saml verified) is read, never the rest of the document.
  const assertion = parseXmlStrictly(assertionXml).documentElement;
  const issuer = childElement(assertion, SAML_NS.assertion, "Issuer")?.textContent?.trim();
  if (issuer !== values.idpEntityId)
    throw new SsoError("invalid_response", "the assertion's issuer is not the connection's identity provider");

  const subject = childElement(assertion, SAML_NS.assertion, "Subject");
  const confirmations = subject ? childElements(subject, SAML_NS.assertion, "SubjectConfirmation") : [];
  const confirmed = confirmations.some((c) => {
    const data = childElement(c, SAML_NS.assertion, "SubjectConfirmationData");
    return (
      attribute(c, "Method") === BEARER &&
      data !== null &&
      attribute(data, "Recipient") === acsUrl &&
      attribute(data, "InResponseTo") === p.requestId
    );
  });
  if (!confirmed) throw new SsoError("invalid_response", "no bearer confirmation for this ACS URL answering this request");

  // The Destination is outside the assertion (signed only when the whole response is), but a
  // response sent to another service provider is refused whenever it says so.
  const destination = attribute(parseXmlStrictly(responseXml).documentElement, "Destination");
  if (destination !== null && destination !== acsUrl)
    throw new SsoError("invalid_response", "the response's Destination is not this ACS URL");

  const assertionId = attribute(assertion, "ID");
  if (!assertionId || assertionId.length > 256) throw new SsoError("invalid_response", "the assertion has no usable ID");

  const nameId = subject ? childElement(subject, SAML_NS.assertion, "NameID") : null;
  const subjectId = nameId?.textContent?.trim() ?? "";
  if (!subjectId) throw new SsoError("invalid_response", "the assertion has no NameID");
  const attributes = readAttributes(assertion);
  const email = normalizeEmail(
    attribute(nameId!, "Format") === EMAIL_FORMAT ? subjectId : (EMAIL_ATTRIBUTES.map((n) => attributes.get(n)).find(Boolean) ?? ""),
  );
  if (!email || emailProblem(email)) throw new SsoError("email_missing", "no email address in the NameID or the mail attributes");

  // Remembered until the assertion could no longer be accepted anyway, on every instance.
  const until = latestEnd(assertion) ?? new Date(now.getTime() + REPLAY_FALLBACK_MS);
  const inserted = await db
    .insert(samlAssertionIds)
    .values({ connectionId: connection.id, assertionId, expiresAt: new Date(until.getTime() + SAML_CLOCK_SKEW_MS) })
    .onConflictDoNothing()
    .returning({ assertionId: samlAssertionIds.assertionId });
  if (inserted.length === 0) throw new SsoError("replayed", `assertion ${assertionId.slice(0, 64)} was already used`);

  return { subject: subjectId, email, name: displayName(attributes) };
}

/** The SP metadata an IdP imports: our entity id, the ACS URL (HTTP-POST), signed assertions wanted. */
export function samlSpMetadata(connection: SsoConnection): string {
  const urls = ssoUrls(connection.id);
  return generateServiceProviderMetadata({
    issuer: urls.samlEntityId,
    callbackUrl: urls.samlAcsUrl,
    identifierFormat: EMAIL_FORMAT,
    wantAssertionsSigned: true,
    generateUniqueId: () => `_${connection.id.replace(/-/g, "")}`,
  });
}

/** The first value of each attribute of the assertion's attribute statements. */
function readAttributes(assertion: Element): Map<string, string> {
  const out = new Map<string, string>();
  for (const statement of childElements(assertion, SAML_NS.assertion, "AttributeStatement")) {
    for (const a of childElements(statement, SAML_NS.assertion, "Attribute")) {
      const name = attribute(a, "Name");
      const value = childElement(a, SAML_NS.assertion, "AttributeValue")?.textContent?.trim();
      if (name && value && !out.has(name)) out.set(name, value);
    }
  }
  return out;
}

function displayName(attributes: Map<string, string>): string | null {
  const pick = (names: string[]) => names.map((n) => attributes.get(n)).find(Boolean);
  const full = pick(NAME_ATTRIBUTES) ?? [pick(GIVEN_NAME), pick(SURNAME)].filter(Boolean).join(" ");
  return full ? full.slice(0, 200) : null;
}

/** The latest NotOnOrAfter the assertion states (its conditions and its confirmations). */
function latestEnd(assertion: Element): Date | null {
  const ends: number[] = [];
  const conditions = childElement(assertion, SAML_NS.assertion, "Conditions");
  if (conditions) ends.push(Date.parse(attribute(conditions, "NotOnOrAfter") ?? ""));
  const subject = childElement(assertion, SAML_NS.assertion, "Subject");
  for (const c of subject ? childElements(subject, SAML_NS.assertion, "SubjectConfirmation") : []) {
    const data = childElement(c, SAML_NS.assertion, "SubjectConfirmationData");
    if (data) ends.push(Date.parse(attribute(data, "NotOnOrAfter") ?? ""));
  }
  const valid = ends.filter((t) => Number.isFinite(t));
  return valid.length ? new Date(Math.max(...valid)) : null;
}

/** A library error as one short log line (never the assertion). */
function short(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, " ").slice(0, 200);
}
