import type { ScimTokenSummary } from "@/lib/membership";
import { CopyValueButton } from "../../domains/_components/copy-value-button";
import { CreateScimTokenForm } from "./create-scim-token-form";
import { CredentialsTable, when } from "../../_components/credential-columns";
import { revokeScimTokenAction } from "../scim-actions";

/** The "SCIM provisioning" part of the SSO page (issue 20): the base URL, tokens (created, shown once, revoked). */
export function ScimProvisioning({ orgId, baseUrl, tokens }: { orgId: string; baseUrl: string; tokens: ScimTokenSummary[] }) {
  return (
    <section aria-labelledby="scim-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
      <h2 id="scim-heading" className="text-lg font-semibold">
        SCIM provisioning
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Okta or Microsoft Entra can add people to this organization, update them and remove them the day they leave. In your identity
        provider, enter the base URL and a SCIM token (HTTP header, Bearer).
      </p>
      <dl className="mt-3 text-sm">
        <dt className="font-medium">SCIM base URL</dt>
        <dd className="mt-1 flex flex-wrap items-center gap-2">
          <code data-testid="scim-base-url" className="break-all rounded bg-slate-50 px-2 py-1 font-mono">
            {baseUrl}
          </code>
          <CopyValueButton value={baseUrl} label="Copy the SCIM base URL" />
        </dd>
      </dl>
      <CreateScimTokenForm orgId={orgId} />
      <div className="mt-4">
        <CredentialsTable<ScimTokenSummary>
          label="SCIM tokens"
          rows={tokens}
          empty="No SCIM tokens yet."
          secret="Token"
          status={(t) => (t.revokedAt ? `Revoked ${when(t.revokedAt)}` : "Active")}
          revoke={{
            what: "SCIM token",
            consequence: "The identity provider's next request with it is refused.",
            action: revokeScimTokenAction,
            input: (t) => ({ orgId, tokenId: t.id }),
          }}
        />
      </div>
    </section>
  );
}
