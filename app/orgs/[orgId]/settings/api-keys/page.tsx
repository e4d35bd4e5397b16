import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { getOrganizationOverview, listApiKeys, listProjects, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { CreateApiKeyForm } from "./_components/create-api-key-form";
import { RevokeApiKeyButton } from "./_components/revoke-api-key-button";

export const metadata: Metadata = { title: "API keys" };

const when = (d: Date | null) => (d ? d.toLocaleString("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC" : "Never");

/** An organization's API keys: Organization Owners create, see and revoke them; everyone else gets "not found". */
export default async function ApiKeysPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const [keys, projects] = await Promise.all([orNotFound(listApiKeys(db, actor, { orgId })), orNotFound(listProjects(db, actor, { orgId }))]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          {overview.org.name}
        </Link>{" "}
        / <span aria-current="page">API keys</span>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">API keys</h1>
      <p className="mt-1 text-sm text-slate-600">
        Keys let scripts use the <a className="underline" href="/api-reference">HTTP API</a> with <code>Authorization: Bearer</code>. A key never has more power than the Owner who made it has now.
      </p>
      <CreateApiKeyForm orgId={orgId} projects={projects.projects.map((p) => ({ id: p.id, name: p.name }))} />
      <section aria-labelledby="keys-heading" className="mt-8">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Keys
        </h2>
        {keys.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No API keys yet.</p>
        ) : (
          <table aria-labelledby="keys-heading" className="mt-2 w-full text-left text-sm">
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2 pr-3">Name</th>
                <th scope="col" className="py-2 pr-3">Key</th>
                <th scope="col" className="py-2 pr-3">May do</th>
                <th scope="col" className="py-2 pr-3">Created</th>
                <th scope="col" className="py-2 pr-3">Last used</th>
                <th scope="col" className="py-2 pr-3">Status</th>
                <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => {
                const status = k.revokedAt ? `Revoked ${when(k.revokedAt)}` : k.isExpired ? `Expired ${when(k.expiresAt)}` : k.expiresAt ? `Active, expires ${when(k.expiresAt)}` : "Active";
                return (
                  <tr key={k.id} className="border-b border-slate-100 align-top">
                    <td className="py-2 pr-3 font-medium">{k.name}</td>
                    <td className="py-2 pr-3 font-mono">{k.prefix}…</td>
                    <td className="py-2 pr-3">
                      {k.scope === "organization" ? "Organization Owner powers" : k.projects.map((p) => `${roleLabel(p.role)} of ${p.name}`).join("; ")}
                    </td>
                    <td className="py-2 pr-3">
                      {when(k.createdAt)}
                      <br />
                      <span className="text-slate-600">by {k.createdByEmail ?? "a former member"}</span>
                    </td>
                    <td className="py-2 pr-3">{when(k.lastUsedAt)}</td>
                    <td className="py-2 pr-3">{status}</td>
                    <td className="py-2">{!k.revokedAt && <RevokeApiKeyButton orgId={orgId} keyId={k.id} name={k.name} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
