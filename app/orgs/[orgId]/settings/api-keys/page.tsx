import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { getOrganizationOverview, listApiKeys, listProjects, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { formatDateTimeUtc } from "@/lib/time";
import { Ellipsis, Table } from "@/components/ui/table";
import { CreateApiKeyForm } from "./_components/create-api-key-form";
import { RevokeApiKeyButton } from "./_components/revoke-api-key-button";

export const metadata: Metadata = { title: "API keys" };

const when = (d: Date | null) => (d ? formatDateTimeUtc(d) : "Never");

/** An organization's API keys: Organization Owners create, see and revoke them; everyone else gets "not found". */
export default async function ApiKeysPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const [keys, projects] = await Promise.all([
    orNotFound(listApiKeys(db, actor, { orgId })),
    orNotFound(listProjects(db, actor, { orgId })),
  ]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          <bdi>{overview.org.name}</bdi>
        </Link>{" "}
        / <span aria-current="page">API keys</span>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">API keys</h1>
      <p className="mt-1 text-sm text-slate-600">
        Keys let scripts use the{" "}
        <a className="underline" href="/api-reference">
          HTTP API
        </a>{" "}
        with <code>Authorization: Bearer</code>. A key never has more power than the Owner who made it has now.
      </p>
      <CreateApiKeyForm orgId={orgId} projects={projects.projects.map((p) => ({ id: p.id, name: p.name }))} />
      <section aria-labelledby="keys-heading" className="mt-8">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Keys
        </h2>
        <Table
          label="Keys"
          rows={keys}
          rowKey={(k) => k.id}
          empty="No API keys yet."
          columns={[
            { header: "Name", cell: (k) => <Ellipsis text={k.name} className="font-medium" /> },
            { header: "Key", width: "w-32", cell: (k) => <span className="whitespace-nowrap font-mono">{k.prefix}…</span> },
            {
              header: "May do",
              cell: (k) =>
                k.scope === "organization" ? (
                  "Organization Owner powers"
                ) : (
                  <span className="flex flex-col">
                    {k.projects.map((p) => (
                      <span key={p.projectId}>
                        <span className="whitespace-nowrap">{roleLabel(p.role)}</span> of <bdi>{p.name}</bdi>
                      </span>
                    ))}
                  </span>
                ),
            },
            {
              header: "Created",
              cell: (k) => (
                <>
                  {when(k.createdAt)}
                  <Ellipsis text={`by ${k.createdByEmail ?? "a former member"}`} className="text-slate-600" />
                </>
              ),
            },
            { header: "Last used", width: "w-36", cell: (k) => when(k.lastUsedAt) },
            {
              header: "Status",
              cell: (k) =>
                k.revokedAt
                  ? `Revoked ${when(k.revokedAt)}`
                  : k.isExpired
                    ? `Expired ${when(k.expiresAt)}`
                    : k.expiresAt
                      ? `Active, expires ${when(k.expiresAt)}`
                      : "Active",
            },
            {
              header: "Actions",
              srOnlyHeader: true,
              width: "w-24",
              className: "lg:text-right",
              cell: (k) => !k.revokedAt && <RevokeApiKeyButton orgId={orgId} keyId={k.id} name={k.name} />,
            },
          ]}
        />
      </section>
    </>
  );
}
