import { Ellipsis, Table } from "@/components/ui/table";
import type { ScimTokenSummary } from "@/lib/membership";
import { formatDateTimeUtc } from "@/lib/time";
import { CopyValueButton } from "../../domains/_components/copy-value-button";
import { CreateScimTokenForm } from "./create-scim-token-form";
import { RevokeScimTokenButton } from "./revoke-scim-token-button";

const when = (d: Date | null) => (d ? formatDateTimeUtc(d) : "Never");

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
        <Table
          label="SCIM tokens"
          rows={tokens}
          rowKey={(t) => t.id}
          empty="No SCIM tokens yet."
          columns={[
            { header: "Name", cell: (t) => <Ellipsis text={t.name} className="font-medium" /> },
            { header: "Token", width: "w-32", cell: (t) => <span className="whitespace-nowrap font-mono">{t.prefix}…</span> },
            {
              header: "Created",
              cell: (t) => (
                <>
                  {when(t.createdAt)}
                  <Ellipsis text={`by ${t.createdByEmail ?? "a former member"}`} className="text-slate-600" />
                </>
              ),
            },
            { header: "Last used", width: "w-36", cell: (t) => when(t.lastUsedAt) },
            { header: "Status", cell: (t) => (t.revokedAt ? `Revoked ${when(t.revokedAt)}` : "Active") },
            {
              header: "Actions",
              srOnlyHeader: true,
              width: "w-24",
              className: "lg:text-right",
              cell: (t) => !t.revokedAt && <RevokeScimTokenButton orgId={orgId} tokenId={t.id} name={t.name} />,
            },
          ]}
        />
      </div>
    </section>
  );
}
