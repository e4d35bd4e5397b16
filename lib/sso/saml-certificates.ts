import { X509Certificate } from "node:crypto";

export interface CertificateSummary {
  /** SHA-256 fingerprint as identity providers show it: upper-case hex pairs joined by colons. */
  fingerprintSha256: string;
  /** When the certificate stops being valid (ISO 8601). Signatures are still checked against it afterwards: SAML trusts the key, not the dates. */
  notAfter: string;
}

/** A base64 DER certificate (as in <ds:X509Certificate>) as a PEM block; null when it is not a certificate. */
export function certificateToPem(base64Der: string): string | null {
  const compact = base64Der.replace(/\s+/g, "");
  if (compact.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return null;
  try {
    const cert = new X509Certificate(Buffer.from(compact, "base64"));
    return cert.toString().trim();
  } catch {
    return null;
  }
}

/** The PEM blocks of sso_connections.saml_idp_certificates (newline-separated, one per certificate). */
export function splitCertificates(stored: string | null): string[] {
  if (!stored) return [];
  const blocks: string[] = [];
  const END = "-----END CERTIFICATE-----";
  let rest = stored;
  for (let at = rest.indexOf(END); at >= 0; at = rest.indexOf(END)) {
    blocks.push(rest.slice(0, at + END.length).trim());
    rest = rest.slice(at + END.length);
  }
  return blocks.filter((b) => b.startsWith("-----BEGIN CERTIFICATE-----"));
}

/** Fingerprint and expiry of a PEM certificate, for the settings page and the API. */
export function summarizeCertificate(pem: string): CertificateSummary {
  const cert = new X509Certificate(pem);
  return { fingerprintSha256: cert.fingerprint256, notAfter: new Date(cert.validTo).toISOString() };
}
