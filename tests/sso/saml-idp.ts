import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import * as samlify from "samlify";

/**
 * A SAML 2.0 identity provider for the tests, made with samlify's IdentityProvider side: it signs
 * real responses (xml-crypto, RSA-SHA256) with a test key pair and publishes its metadata. Each
 * response's values can be set one by one, to make the answers the checks must refuse.
 */

// samlify wants a schema validator before it parses any message. This IdP only BUILDS
// responses (AuthnRequests are read with @xmldom in the e2e IdP), so the validator is never
// called; if it ever were, the test would fail loudly rather than skip validation silently.
samlify.setSchemaValidator({
  validate: async () => {
    throw new Error("the test IdP does not parse SAML messages with samlify");
  },
});

// samlify is CommonJS: under vitest its namespace has SamlLib, under Playwright's loader (the e2e
// IdP) only its default export does.
const SamlLib: typeof samlify.SamlLib = samlify.SamlLib ?? (samlify as unknown as { default: typeof samlify }).default.SamlLib;

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

/** A key pair: PEM private key and self-signed certificate. TEST KEYS ONLY (tests/sso/fixtures/README.md). */
export interface TestKeyPair {
  privateKey: string;
  certificate: string;
}
export const IDP_KEYS: TestKeyPair = { privateKey: fixture("idp-key.pem"), certificate: fixture("idp-cert.pem") };
/** Another key pair: a response signed with it must be refused. */
export const OTHER_KEYS: TestKeyPair = { privateKey: fixture("other-key.pem"), certificate: fixture("other-cert.pem") };

export const EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
export const PERSISTENT_FORMAT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent";
const REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

export interface ResponseSpec {
  /** Our ACS URL: the Destination and the confirmation's Recipient unless overridden. */
  acsUrl: string;
  /** Our entity id: the Audience unless overridden. */
  audience: string;
  /** The AuthnRequest answered: the response's and the confirmation's InResponseTo unless overridden. */
  inResponseTo: string | null;
  email?: string;
  nameId?: string;
  nameIdFormat?: string;
  attributes?: Record<string, string>;
  /** Conditions NotBefore / NotOnOrAfter; default now − 1 min / now + 5 min. */
  notBefore?: Date;
  notOnOrAfter?: Date;
  /** The confirmation's method; default bearer (the only one the Web SSO profile uses). */
  confirmationMethod?: string;
  /** The bearer confirmation's NotOnOrAfter; default notOnOrAfter. */
  confirmationNotOnOrAfter?: Date;
  /** null leaves the attribute out. */
  destination?: string | null;
  recipient?: string;
  responseInResponseTo?: string | null;
  confirmationInResponseTo?: string | null;
  issuer?: string;
  assertionId?: string;
  /** What carries a signature: the assertion (default), the whole response, or both. */
  sign?: "assertion" | "response" | "both";
  /** Sign with these keys instead of the IdP's. */
  keys?: TestKeyPair;
}

const newId = () => `_${randomBytes(16).toString("hex")}`;
const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export interface TestIdp {
  entityId: string;
  ssoUrl: string;
  keys: TestKeyPair;
  /** The IdP's SAML metadata (entity id, SSO URLs, signing certificate). */
  metadataXml(): string;
  /** A signed SAMLResponse (base64), as the IdP would POST it. */
  response(spec: ResponseSpec): Promise<string>;
}

/** A test IdP with its own entity id and SSO URL (the e2e IdP passes its loopback address). */
export function createTestIdp(options: { entityId?: string; ssoUrl?: string; keys?: TestKeyPair } = {}): TestIdp {
  const entityId = options.entityId ?? `https://idp-${randomBytes(4).toString("hex")}.test/saml/metadata`;
  const ssoUrl = options.ssoUrl ?? `${new URL(entityId).origin}/saml/sso`;
  const keys = options.keys ?? IDP_KEYS;
  const identityProvider = (signingKeys: TestKeyPair) =>
    samlify.IdentityProvider({
      entityID: entityId,
      privateKey: signingKeys.privateKey,
      signingCert: signingKeys.certificate,
      nameIDFormat: [EMAIL_FORMAT],
      singleSignOnService: [
        { Binding: REDIRECT, Location: ssoUrl },
        { Binding: POST, Location: ssoUrl },
      ],
      singleLogoutService: [{ Binding: REDIRECT, Location: `${ssoUrl}/logout` }],
    });

  return {
    entityId,
    ssoUrl,
    keys,
    metadataXml: () => identityProvider(keys).getMetadata(),
    async response(spec) {
      const sign = spec.sign ?? "assertion";
      const sp = samlify.ServiceProvider({
        entityID: spec.audience,
        assertionConsumerService: [{ Binding: POST, Location: spec.acsUrl }],
        wantAssertionsSigned: sign !== "response",
        wantMessageSigned: sign !== "assertion",
      });
      const now = new Date();
      const notOnOrAfter = spec.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
      const responseId = newId();
      const attributes = Object.entries(spec.attributes ?? {});
      const attributeXml = attributes.length
        ? `<saml:AttributeStatement>${attributes
            .map(
              ([name], i) =>
                `<saml:Attribute Name="${escapeXml(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">` +
                `<saml:AttributeValue xsi:type="xs:string">{Attr${i}}</saml:AttributeValue></saml:Attribute>`,
            )
            .join("")}</saml:AttributeStatement>`
        : "";
      const template =
        '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
        'ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}">' +
        '<saml:Issuer>{Issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>' +
        '<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' +
        'ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}">' +
        "<saml:Issuer>{Issuer}</saml:Issuer>" +
        '<saml:Subject><saml:NameID Format="{NameIDFormat}">{NameID}</saml:NameID>' +
        '<saml:SubjectConfirmation Method="{ConfirmationMethod}">' +
        '<saml:SubjectConfirmationData NotOnOrAfter="{ConfirmationNotOnOrAfter}" Recipient="{Recipient}" InResponseTo="{ConfirmationInResponseTo}"/>' +
        "</saml:SubjectConfirmation></saml:Subject>" +
        '<saml:Conditions NotBefore="{NotBefore}" NotOnOrAfter="{NotOnOrAfter}">' +
        "<saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>" +
        '<saml:AuthnStatement AuthnInstant="{IssueInstant}" SessionIndex="{SessionIndex}">' +
        "<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>" +
        "</saml:AuthnContext></saml:AuthnStatement>" +
        attributeXml +
        "</saml:Assertion></samlp:Response>";
      const pick = <T>(value: T | undefined, otherwise: T) => (value === undefined ? otherwise : value);
      const values: Record<string, string | null> = {
        ID: responseId,
        AssertionID: spec.assertionId ?? newId(),
        IssueInstant: now.toISOString(),
        Destination: pick(spec.destination, spec.acsUrl),
        InResponseTo: pick(spec.responseInResponseTo, spec.inResponseTo),
        ConfirmationInResponseTo: pick(spec.confirmationInResponseTo, spec.inResponseTo),
        Issuer: spec.issuer ?? entityId,
        NameIDFormat: spec.nameIdFormat ?? EMAIL_FORMAT,
        NameID: spec.nameId ?? spec.email ?? "",
        ConfirmationMethod: spec.confirmationMethod ?? "urn:oasis:names:tc:SAML:2.0:cm:bearer",
        ConfirmationNotOnOrAfter: (spec.confirmationNotOnOrAfter ?? notOnOrAfter).toISOString(),
        Recipient: spec.recipient ?? spec.acsUrl,
        NotBefore: (spec.notBefore ?? new Date(now.getTime() - 60_000)).toISOString(),
        NotOnOrAfter: notOnOrAfter.toISOString(),
        Audience: spec.audience,
        SessionIndex: newId(),
        ...Object.fromEntries(attributes.map(([, value], i) => [`Attr${i}`, value])),
      };
      const { context } = await identityProvider(spec.keys ?? keys).createLoginResponse(
        sp,
        { extract: { request: { id: spec.inResponseTo ?? "" } } },
        "post",
        { email: spec.email },
        { customTagReplacement: () => ({ id: responseId, context: SamlLib.replaceTagsByValue(template, values) }) },
      );
      return context;
    },
  };
}
