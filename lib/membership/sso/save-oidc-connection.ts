import "server-only";
import { randomUUID } from "node:crypto";
import { ssoConnections } from "@/db/schema";
import { eq } from "drizzle-orm";
import { openLink, sealContext } from "@/lib/email/sealed";
import { sealOidcClientSecret } from "@/lib/sso/oidc";
import { discoverIssuer, parseIssuer } from "@/lib/sso/oidc-discovery";
import type { SsoConnection } from "@/lib/sso/types";
import { ssoUrls } from "@/lib/sso/urls";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { CONTROL_CHARACTER } from "../characters";
import { DomainError } from "../errors";
import { validName } from "../names";
import { inTransaction } from "../transaction";
import { verb } from "../verb";

export interface SaveOidcConnectionInput {
  orgId: string;
  /** What people see: "Continue with <name>", and the actor of the activity it causes. */
  name: string;
  issuer: string;
  clientId: string;
  /** Required to create; on a change, blank keeps the stored one. */
  clientSecret?: string | null;
}

/** What the settings page and the API show of an OpenID Connect connection: never the secret. */
export interface OidcConnectionView {
  id: string;
  name: string;
  issuer: string | null;
  clientId: string | null;
  hasSecret: boolean;
  /** Pasted into the identity provider as the sign-in redirect URI. */
  redirectUri: string;
  enabled: boolean;
  testedAt: Date | null;
}

type ViewSource = Pick<SsoConnection, "id" | "name" | "oidcIssuer" | "oidcClientId" | "enabled" | "testedAt"> &
  ({ oidcClientSecretSealed: string | null } | { hasClientSecret: boolean });

/** The OpenID Connect form's view of a connection (the page's read, getSsoSettings, leaves the secret out). */
function oidcConnectionView(connection: ViewSource): OidcConnectionView {
  return {
    id: connection.id,
    name: connection.name,
    issuer: connection.oidcIssuer,
    clientId: connection.oidcClientId,
    hasSecret: "hasClientSecret" in connection ? connection.hasClientSecret : connection.oidcClientSecretSealed !== null,
    redirectUri: ssoUrls(connection.id).oidcRedirectUri,
    enabled: connection.enabled,
    testedAt: connection.testedAt,
  };
}

const invalid = (message: string, field: string) => new DomainError("INVALID", message, { [field]: [message] });

function validValue(raw: unknown, what: { label: string; field: string; max: number }): string | null {
  const value = typeof raw === "string" ? raw.trim() : "";
  if (!value) return null;
  if (value.length > what.max) throw invalid(`The ${what.label} is longer than ${what.max} characters.`, what.field);
  if (CONTROL_CHARACTER.test(value) || /\s/.test(value))
    throw invalid(`The ${what.label} cannot contain spaces or control characters.`, what.field);
  return value;
}

function sameSecret(connection: SsoConnection, secret: string): boolean {
  if (!connection.oidcClientSecretSealed) return false;
  try {
    return openLink(connection.oidcClientSecretSealed, sealContext("sso-oidc-secret", connection.id)) === secret;
  } catch {
    return false;
  }
}

/**
 * Creates the organization's OpenID Connect connection, or replaces its values (Organization Owners
 * only). The issuer must answer discovery first. New provider values (issuer, client id, secret)
 * make the connection untested and off again; the secret is stored sealed and never returned.
 */
export const saveOidcConnection = verb(async (db, actor, input: SaveOidcConnectionInput, now): Promise<OidcConnectionView> => {
  const name = validName(input.name, "connection");
  const clientId = validValue(input.clientId, { label: "client ID", field: "clientId", max: 255 });
  if (!clientId) throw invalid("Enter the client ID your identity provider gave the application.", "clientId");
  const secret = validValue(input.clientSecret, { label: "client secret", field: "clientSecret", max: 1000 });
  const parsed = parseIssuer(typeof input.issuer === "string" ? input.issuer : "");
  if ("problem" in parsed) throw invalid(parsed.problem, "issuer");
  // Checked before the network call, which runs outside the transaction: only an Owner makes the
  // server fetch a URL they typed, and no lock is held while the provider answers.
  await authorizeOrg(db, actor, input.orgId, "org.sso.manage");
  const [before] = await db.select().from(ssoConnections).where(eq(ssoConnections.orgId, input.orgId));
  if (!secret && !before?.oidcClientSecretSealed) throw invalid("Enter the client secret.", "clientSecret");
  const found = await discoverIssuer(parsed.url.href, clientId);
  if (!found.ok) throw invalid(found.problem, "issuer");
  const issuer = found.discovery.metadata.issuer;

  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
    const [current] = await tx.select().from(ssoConnections).where(eq(ssoConnections.orgId, input.orgId));
    if (!secret && !current?.oidcClientSecretSealed) throw invalid("Enter the client secret.", "clientSecret");
    const detail = `${name} (OpenID Connect, ${issuer})`;
    let row: SsoConnection | undefined;
    if (!current) {
      const id = randomUUID();
      [row] = await tx
        .insert(ssoConnections)
        .values({
          id,
          orgId: input.orgId,
          kind: "oidc",
          name,
          oidcIssuer: issuer,
          oidcClientId: clientId,
          oidcClientSecretSealed: sealOidcClientSecret(secret!, id),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
    } else {
      const providerChanged =
        current.kind !== "oidc" ||
        current.oidcIssuer !== issuer ||
        current.oidcClientId !== clientId ||
        (secret !== null && !sameSecret(current, secret));
      [row] = await tx
        .update(ssoConnections)
        .set({
          kind: "oidc",
          name,
          oidcIssuer: issuer,
          oidcClientId: clientId,
          ...(secret ? { oidcClientSecretSealed: sealOidcClientSecret(secret, current.id) } : {}),
          // One kind at a time: SAML values left behind would be read by nothing and mislead.
          samlMetadataUrl: null,
          samlIdpEntityId: null,
          samlIdpSsoUrl: null,
          samlIdpCertificates: null,
          // Another provider (or client) must be tested again before anyone signs in through it.
          ...(providerChanged ? { testedAt: null, enabled: false, requireSso: false } : {}),
          updatedAt: now,
        })
        .where(eq(ssoConnections.id, current.id))
        .returning();
    }
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "sso.connection_saved", detail }], now);
    return oidcConnectionView(row!);
  });
});
