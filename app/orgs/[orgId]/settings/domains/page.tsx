import type { Metadata } from "next";
import { requireActor } from "@/lib/auth/session";
import { getOrganizationOverview, listDomains } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { ItemListSection, SettingsHeader } from "../../_components/org-page-header";
import { AddDomainForm } from "./_components/add-domain-form";
import { DomainItem } from "./_components/domain-item";

export const metadata: Metadata = { title: "Verified domains" };

/** An organization's domains: Organization Owners add, check and remove them; everyone else gets "not found". */
export default async function DomainsPage({ params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const domains = await orNotFound(listDomains(db, actor, { orgId }));
  return (
    <>
      <SettingsHeader orgId={orgId} orgName={overview.org.name} title="Verified domains">
        Prove that the organization controls a domain by adding a DNS TXT record. Addresses at a verified domain can be trusted for single
        sign-on. A domain belongs to one organization at a time; the record is checked again every day.
      </SettingsHeader>
      <AddDomainForm orgId={orgId} />
      <ItemListSection id="domains-heading" title="Domains">
        {domains.length === 0 ? (
          <p className="mt-2 text-slate-600">No domains yet. Add your organization&apos;s email domain above.</p>
        ) : (
          <ul aria-label="Domains" className="mt-3 space-y-3">
            {domains.map((d) => (
              <DomainItem key={d.id} orgId={orgId} domain={d} />
            ))}
          </ul>
        )}
      </ItemListSection>
    </>
  );
}
