import type { SsoConnection } from "./types";
import { splitCertificates, summarizeCertificate, type CertificateSummary } from "./saml-certificates";

/** What the SAML form shows of a saved connection: the IdP's values as read from its metadata. */
export interface SamlConnectionView {
  id: string;
  name: string;
  idpEntityId: string;
  ssoUrl: string;
  /** Where the metadata was fetched from; null when it was pasted. */
  metadataUrl: string | null;
  certificates: CertificateSummary[];
  enabled: boolean;
  /** ISO 8601, or null until "Test connection" succeeds (again, after a change). */
  testedAt: string | null;
}

/** The form's view of an organization's connection; null when it has none or it is not SAML. */
export function samlConnectionView(connection: SsoConnection | null | undefined): SamlConnectionView | null {
  if (!connection || connection.kind !== "saml" || !connection.samlIdpEntityId || !connection.samlIdpSsoUrl) return null;
  return {
    id: connection.id,
    name: connection.name,
    idpEntityId: connection.samlIdpEntityId,
    ssoUrl: connection.samlIdpSsoUrl,
    metadataUrl: connection.samlMetadataUrl,
    certificates: splitCertificates(connection.samlIdpCertificates).map(summarizeCertificate),
    enabled: connection.enabled,
    testedAt: connection.testedAt?.toISOString() ?? null,
  };
}
