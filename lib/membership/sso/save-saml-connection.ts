import "server-only";
import { ssoConnections } from "@/db/schema";
import { eq } from "drizzle-orm";
import { getEnv } from "@/lib/env";
import { samlConnectionView, type SamlConnectionView } from "@/lib/sso/saml-connection-view";
import { fetchIdpMetadata, MetadataProblem, parseIdpMetadata, type IdpMetadata } from "@/lib/sso/saml-idp-metadata";
import { ssoUrls } from "@/lib/sso/urls";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { validName } from "../names";
import { inTransaction } from "../transaction";
import { verb } from "../verb";

export interface SaveSamlConnectionInput {
  orgId: string;
  name: string;
  /** The IdP's metadata, pasted; or … */
  metadataXml?: string | null;
  /** … the address it is fetched from (https; 5 s, 1 MB). Exactly one of the two. */
  metadataUrl?: string | null;
}

export interface SavedSamlConnection extends SamlConnectionView {
  /** What the Owner pastes into the identity provider. */
  sp: { acsUrl: string; entityId: string; metadataUrl: string };
}

const invalid = (field: string, message: string) => new DomainError("INVALID", message, { [field]: [message] });

/**
 * Connects the organization to a SAML 2.0 identity provider from its metadata (Organization Owners
 * only): creates the organization's one connection or replaces its values with SAML ones. When
 * what signs people in changes (kind, IdP entity id, SSO URL, certificates), the connection must be
 * tested again: it is switched off and its test forgotten.
 */
export const saveSamlConnection = verb(async (db, actor, input: SaveSamlConnectionInput, now): Promise<SavedSamlConnection> => {
  const name = validName(input.name, "connection");
  const xml = input.metadataXml?.trim() || null;
  const url = input.metadataUrl?.trim() || null;
  if (xml && url) throw invalid("metadataUrl", "Give either the metadata URL or the metadata XML, not both.");
  if (!xml && !url) throw invalid("metadataXml", "Paste the identity provider's metadata XML, or give its metadata URL.");

  // Checked before anything is fetched, so only an Owner can make the server request a URL.
  await authorizeOrg(db, actor, input.orgId, "org.sso.manage");
  const field = url ? "metadataUrl" : "metadataXml";
  let idp: IdpMetadata;
  try {
    idp = parseIdpMetadata(url ? await fetchIdpMetadata(url, getEnv()) : xml!);
  } catch (err) {
    if (err instanceof MetadataProblem) throw invalid(field, err.message);
    throw err;
  }
  const certificates = idp.certificates.join("\n");

  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
    const [existing] = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, input.orgId)).for("update");
    const values = {
      kind: "saml" as const,
      name,
      samlMetadataUrl: url,
      samlIdpEntityId: idp.entityId,
      samlIdpSsoUrl: idp.ssoUrl,
      samlIdpCertificates: certificates,
      // One connection per organization: an OpenID Connect one replaced by SAML keeps no secret.
      oidcIssuer: null,
      oidcClientId: null,
      oidcClientSecretSealed: null,
      updatedAt: now,
    };
    const changed =
      !existing ||
      existing.kind !== "saml" ||
      existing.samlIdpEntityId !== idp.entityId ||
      existing.samlIdpSsoUrl !== idp.ssoUrl ||
      existing.samlIdpCertificates !== certificates;
    // As switching it off by hand does, this ends "Require SSO" too (docs/product-rules.md).
    const reset = changed ? { testedAt: null, enabled: false, requireSso: false } : {};
    const [row] = existing
      ? await tx
          .update(ssoConnections)
          .set({ ...values, ...reset })
          .where(eq(ssoConnections.id, existing.id))
          .returning()
      : await tx
          .insert(ssoConnections)
          .values({ orgId: input.orgId, ...values, testedAt: null, enabled: false, createdAt: now })
          .returning();
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "sso.connection_saved", detail: `SAML 2.0 · ${idp.entityId}` }], now);
    const urls = ssoUrls(row!.id);
    return {
      ...samlConnectionView(row)!,
      sp: { acsUrl: urls.samlAcsUrl, entityId: urls.samlEntityId, metadataUrl: urls.samlMetadataUrl },
    };
  });
});
