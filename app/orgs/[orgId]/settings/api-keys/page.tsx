import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/session";
import { getOrganizationOverview, listApiKeys, listProjects, roleLabel, type ApiKeySummary } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { ItemListSection, SettingsHeader } from "../../_components/org-page-header";
import { CreateApiKeyForm } from "./_components/create-api-key-form";
import { CredentialsTable, when } from "../_components/credential-columns";
import { revokeApiKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

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
      <SettingsHeader orgId={orgId} orgName={overview.org.name} title="API keys">
        Keys let scripts use the{" "}
        <a className="underline" href="/api-reference">
          HTTP API
        </a>{" "}
        with <code>Authorization: Bearer</code>. A key never has more power than the Owner who made it has now.
      </SettingsHeader>
      <CreateApiKeyForm orgId={orgId} projects={projects.projects.map((p) => ({ id: p.id, name: p.name }))} />
      <ItemListSection id="keys-heading" title="Keys">
        <CredentialsTable<ApiKeySummary>
          label="Keys"
          rows={keys}
          empty="No API keys yet."
          secret="Key"
          extra={[
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
          ]}
          status={(k) =>
            k.revokedAt
              ? `Revoked ${when(k.revokedAt)}`
              : k.isExpired
                ? `Expired ${when(k.expiresAt)}`
                : k.expiresAt
                  ? `Active, expires ${when(k.expiresAt)}`
                  : "Active"
          }
          revoke={{
            what: "API key",
            consequence: "The next request made with it is refused.",
            action: revokeApiKeyAction,
            input: (k) => ({ orgId, keyId: k.id }),
          }}
        />
      </ItemListSection>
    </>
  );
}
