import type { Env } from "@/lib/env";
import { readBounded } from "@/lib/http/read-bounded";
import { certificateToPem } from "./saml-certificates";
import { attribute, childElement, childElements, parseXmlStrictly, SAML_NS, XmlRefusal } from "./xml";

/** What the console keeps from an identity provider's metadata. */
export interface IdpMetadata {
  entityId: string;
  /** Where AuthnRequests go (HTTP-Redirect binding). */
  ssoUrl: string;
  /** PEM certificates the IdP signs with (several during a key rollover). */
  certificates: string[];
}

/** Metadata (pasted or fetched) is refused beyond this size. */
export const MAX_METADATA_BYTES = 1024 * 1024;
export const METADATA_FETCH_TIMEOUT_MS = 5_000;

const REDIRECT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
const SAML2_PROTOCOL = SAML_NS.protocol;

/** A refusal of the metadata, with a sentence an Owner can act on. */
export class MetadataProblem extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MetadataProblem";
  }
}

/**
 * Reads an IdP's SAML 2.0 metadata (an EntityDescriptor, or an EntitiesDescriptor holding exactly
 * one identity provider): its entity id, its HTTP-Redirect single sign-on address, and its signing
 * certificates. Parsed as XML (never matched with patterns); DOCTYPE and entities are refused.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  if (Buffer.byteLength(xml, "utf8") > MAX_METADATA_BYTES) throw new MetadataProblem("The metadata is larger than 1 MB.");
  let doc: Document;
  try {
    doc = parseXmlStrictly(xml.trim());
  } catch (err) {
    throw new MetadataProblem(err instanceof XmlRefusal ? `The metadata cannot be read: ${err.message}` : "The metadata cannot be read.");
  }
  const root = doc.documentElement;
  const entities =
    root.namespaceURI === SAML_NS.metadata && root.localName === "EntityDescriptor"
      ? [root]
      : root.namespaceURI === SAML_NS.metadata && root.localName === "EntitiesDescriptor"
        ? childElements(root, SAML_NS.metadata, "EntityDescriptor")
        : [];
  if (entities.length === 0) throw new MetadataProblem("This is not SAML 2.0 metadata: it has no EntityDescriptor.");
  const idps = entities.flatMap((entity) =>
    childElements(entity, SAML_NS.metadata, "IDPSSODescriptor")
      .filter((d) => (attribute(d, "protocolSupportEnumeration") ?? "").split(/\s+/).includes(SAML2_PROTOCOL))
      .map((descriptor) => ({ entity, descriptor })),
  );
  if (idps.length === 0) throw new MetadataProblem("The metadata describes no SAML 2.0 identity provider (IDPSSODescriptor).");
  if (idps.length > 1) throw new MetadataProblem("The metadata describes several identity providers; paste the metadata of one.");
  const { entity, descriptor } = idps[0]!;

  const entityId = (attribute(entity, "entityID") ?? "").trim();
  if (!entityId || entityId.length > 1024) throw new MetadataProblem("The metadata has no entity id (entityID).");

  // The console sends AuthnRequests with the HTTP-Redirect binding only: an IdP that takes them
  // only by POST is refused here, in words, rather than failing at its first sign-in.
  const sso = childElements(descriptor, SAML_NS.metadata, "SingleSignOnService").find(
    (s) => attribute(s, "Binding") === REDIRECT_BINDING && attribute(s, "Location"),
  );
  const ssoUrl = sso ? attribute(sso, "Location")!.trim() : "";
  if (!ssoUrl) throw new MetadataProblem("The metadata names no single sign-on URL for the HTTP-Redirect binding (SingleSignOnService).");
  if (!URL.canParse(ssoUrl) || !["https:", "http:"].includes(new URL(ssoUrl).protocol))
    throw new MetadataProblem("The single sign-on URL in the metadata is not an http(s) address.");

  const certificates: string[] = [];
  for (const key of childElements(descriptor, SAML_NS.metadata, "KeyDescriptor")) {
    const use = attribute(key, "use");
    if (use !== null && use !== "signing") continue;
    const keyInfo = childElement(key, SAML_NS.dsig, "KeyInfo");
    for (const data of keyInfo ? childElements(keyInfo, SAML_NS.dsig, "X509Data") : []) {
      for (const certElement of childElements(data, SAML_NS.dsig, "X509Certificate")) {
        const pem = certificateToPem(certElement.textContent ?? "");
        if (!pem) throw new MetadataProblem("A signing certificate in the metadata cannot be read.");
        if (!certificates.includes(pem)) certificates.push(pem);
      }
    }
  }
  if (certificates.length === 0)
    throw new MetadataProblem(
      "The metadata has no signing certificate (KeyDescriptor with an X509Certificate), so no signature could be checked.",
    );
  if (certificates.length > 10) throw new MetadataProblem("The metadata has more than 10 signing certificates.");
  return { entityId, ssoUrl, certificates };
}

/** Why a metadata URL may not be fetched, or null: https only, plain http outside production or when SSO_ALLOW_HTTP_METADATA=1. */
export function metadataUrlProblem(url: string, env: Pick<Env, "NODE_ENV" | "SSO_ALLOW_HTTP_METADATA">): string | null {
  if (!URL.canParse(url)) return "Enter the metadata URL, starting with https://.";
  const parsed = new URL(url);
  if (parsed.username || parsed.password) return "The metadata URL cannot hold a user name or password.";
  if (parsed.protocol === "https:") return null;
  if (parsed.protocol === "http:" && (env.NODE_ENV !== "production" || env.SSO_ALLOW_HTTP_METADATA === "1")) return null;
  return "The metadata URL must start with https://.";
}

/**
 * Fetches metadata from a URL: at most 5 seconds and 1 MB, https only (see metadataUrlProblem,
 * also checked after redirects). The body is never echoed back in a refusal.
 */
export async function fetchIdpMetadata(url: string, env: Pick<Env, "NODE_ENV" | "SSO_ALLOW_HTTP_METADATA">): Promise<string> {
  const problem = metadataUrlProblem(url, env);
  if (problem) throw new MetadataProblem(problem);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/samlmetadata+xml, application/xml, text/xml" },
      redirect: "follow",
      signal: AbortSignal.timeout(METADATA_FETCH_TIMEOUT_MS),
    });
  } catch {
    throw new MetadataProblem("The metadata URL could not be reached within 5 seconds.");
  }
  const finalProblem = metadataUrlProblem(response.url || url, env);
  if (finalProblem) throw new MetadataProblem(finalProblem);
  if (!response.ok) throw new MetadataProblem(`The metadata URL answered ${response.status}.`);
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_METADATA_BYTES) throw new MetadataProblem("The metadata is larger than 1 MB.");
  const reader = response.body?.getReader();
  if (!reader) throw new MetadataProblem("The metadata URL answered with no content.");
  try {
    return await readBounded(reader, MAX_METADATA_BYTES, () => new MetadataProblem("The metadata is larger than 1 MB."));
  } catch (err) {
    if (err instanceof MetadataProblem) throw err;
    throw new MetadataProblem("The metadata URL could not be read within 5 seconds.");
  }
}
