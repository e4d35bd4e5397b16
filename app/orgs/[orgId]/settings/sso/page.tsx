import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { getSsoSettings } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { ssoUrls } from "@/lib/sso/urls";
import { samlConnectionView } from "@/lib/sso/saml-connection-view";
import { formatDateTimeUtc } from "@/lib/time";
import { SettingsHeader } from "../../_components/org-page-header";
import { OidcConnectionForm } from "./_components/oidc-connection-form";
import { SamlConnectionForm } from "./_components/saml-connection-form";
import { RemoveConnectionButton } from "./_components/remove-connection-button";
import { SsoUsageForm } from "./_components/sso-usage-form";
// ── Issue 20: SCIM provisioning ──
import { listScimTokens } from "@/lib/membership";
import { getEnv } from "@/lib/env";
import { SCIM_BASE } from "@/lib/scim/handler";
import { ScimProvisioning } from "./_components/scim-provisioning";
// ── Issue 20: SCIM groups → project roles ──
import { listScimGroupMappings } from "@/lib/membership";
import { ScimGroupMappings } from "./_components/scim-group-mappings";

export const metadata: Metadata = { title: "Single sign-on" };

const FAILURES: Record<string, string> = {
  expired: "The test took too long or was already used. Try again.",
  provider_error: "The identity provider did not complete the sign-in. Check the values you pasted on both sides.",
  invalid_response:
    "The identity provider's answer failed a check (signature, audience, recipient or validity). Check the certificate and the values you pasted.",
  replayed: "That answer was already used once. Try again.",
  email_missing:
    "The identity provider sent no verified email address. Make it send the address (the email claim, or NameID in EmailAddress format).",
  domain_not_verified: "The address you signed in with is not in one of this organization's verified domains.",
  connection_disabled: "The connection was changed or removed during the test. Try again.",
  test_mismatch: "Sign in at the identity provider with the same address you use here.",
};

/** An organization's single sign-on: Organization Owners connect an identity provider, test it, switch it on and require it. */
export default async function SsoSettingsPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<{ kind?: string; tested?: string; failed?: string }>;
}) {
  const { orgId } = await params;
  const { kind, tested, failed } = await searchParams;
  const actor = await requireActor();
  const settings = await orNotFound(getSsoSettings(getDb(), actor, { orgId }));
  const connection = settings.connection;
  const shown = connection?.kind ?? (kind === "saml" ? "saml" : "oidc");
  const urls = connection ? ssoUrls(connection.id) : null;
  // ── Issue 20: SCIM provisioning ──
  const scimTokens = await orNotFound(listScimTokens(getDb(), actor, { orgId }));
  const scimBaseUrl = `${getEnv().APP_URL.replace(/\/$/, "")}${SCIM_BASE}/${orgId}`;
  // ── Issue 20: SCIM groups → project roles ──
  const scimGroups = await orNotFound(listScimGroupMappings(getDb(), actor, { orgId }));
  const failure = typeof failed === "string" && Object.hasOwn(FAILURES, failed) ? FAILURES[failed] : null;
  return (
    <>
      <SettingsHeader orgId={orgId} orgName={settings.orgName} title="Single sign-on">
        People with an address in a verified domain sign in through your identity provider (OpenID Connect or SAML 2.0). Verified domains:{" "}
        {settings.verifiedDomains.length ? <strong>{settings.verifiedDomains.join(", ")}</strong> : "none yet"} (
        <Link href={`/orgs/${orgId}/settings/domains`} className="underline">
          Verified domains
        </Link>
        ).
      </SettingsHeader>
      {tested === "1" && (
        <p role="status" className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          The test sign-in worked. You can switch single sign-on on.
        </p>
      )}
      {failure && (
        <p role="alert" className="mt-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          The test sign-in failed: {failure}
        </p>
      )}

      <section aria-labelledby="connection-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
        <h2 id="connection-heading" className="text-lg font-semibold">
          Identity provider
        </h2>
        {connection ? (
          <p className="mt-1 text-sm text-slate-600">
            <bdi className="font-medium text-slate-900">{connection.name}</bdi> (
            {connection.kind === "oidc" ? "OpenID Connect" : "SAML 2.0"}) ·{" "}
            {connection.testedAt ? `Tested ${formatDateTimeUtc(connection.testedAt)}` : "Not tested yet"} ·{" "}
            {connection.enabled ? "On" : "Off"}
          </p>
        ) : (
          <nav aria-label="Kind of connection" className="mt-2 flex flex-wrap gap-2 text-sm">
            {(["oidc", "saml"] as const).map((k) => (
              <Link
                key={k}
                href={`/orgs/${orgId}/settings/sso?kind=${k}`}
                aria-current={shown === k ? "page" : undefined}
                className={`rounded-md border px-3 py-1.5 ${shown === k ? "border-brand-600 bg-brand-50 font-medium" : "border-slate-300"}`}
              >
                {k === "oidc" ? "OpenID Connect" : "SAML 2.0"}
              </Link>
            ))}
          </nav>
        )}
        <div className="mt-4">
          {shown === "oidc" ? (
            <OidcConnectionForm
              orgId={orgId}
              connection={
                connection?.kind === "oidc"
                  ? {
                      name: connection.name,
                      issuer: connection.oidcIssuer,
                      clientId: connection.oidcClientId,
                      hasSecret: connection.hasClientSecret,
                    }
                  : null
              }
              redirectUri={urls?.oidcRedirectUri ?? null}
            />
          ) : (
            <SamlConnectionForm
              orgId={orgId}
              connection={samlConnectionView(connection && { ...connection, oidcClientSecretSealed: null })}
              sp={urls ? { acsUrl: urls.samlAcsUrl, entityId: urls.samlEntityId, metadataUrl: urls.samlMetadataUrl } : null}
            />
          )}
        </div>
        {connection && (
          <div className="mt-4 flex flex-wrap gap-2 border-t border-slate-200 pt-4">
            {/* A plain link: the start route sends the Owner to the identity provider and back here. */}
            <a href={`/api/sso/${connection.id}/start?purpose=test`} className="btn btn-sm btn-primary">
              Test connection
            </a>
            <RemoveConnectionButton orgId={orgId} name={connection.name} />
          </div>
        )}
      </section>

      {connection && (
        <section aria-labelledby="usage-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
          <h2 id="usage-heading" className="text-lg font-semibold">
            Use
          </h2>
          {/* Keyed by the test only: a save's own redraw must not reset what was ticked since; the
              form adopts a saved value that changed elsewhere box by box. */}
          <SsoUsageForm
            key={connection.testedAt?.getTime() ?? 0}
            orgId={orgId}
            usage={{
              enabled: connection.enabled,
              requireSso: connection.requireSso,
              tested: connection.testedAt !== null,
              verifiedDomains: settings.verifiedDomains,
              projects: settings.projects,
              defaultGrants: Object.fromEntries(settings.defaultGrants.map((g) => [g.projectId, g.role])),
            }}
          />
        </section>
      )}

      {/* ── Issue 20: SCIM provisioning ── */}
      <ScimProvisioning orgId={orgId} baseUrl={scimBaseUrl} tokens={scimTokens} />
      {/* ── Issue 20: SCIM groups → project roles ── */}
      <ScimGroupMappings orgId={orgId} groups={scimGroups.groups} projects={scimGroups.projects} />
    </>
  );
}
