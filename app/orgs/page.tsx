import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listOrganizations, roleLabel } from "@/lib/membership";
import { getDb } from "@/lib/server/database";
import { CreateOrganizationForm } from "./_components/create-organization-form";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  const actor = await requireActor();
  const orgs = await listOrganizations(getDb(), actor);
  if (orgs.length === 0) {
    // A fresh installation, or someone not invited anywhere yet: they may start their own.
    return (
      <>
        <h1 className="text-2xl font-semibold">Create your organization</h1>
        <p className="mt-2 text-slate-600">
          You are not a member of any organization yet. Start one here, or ask an Organization Owner or a Project Admin to invite you.
        </p>
        <CreateOrganizationForm heading="Your organization" />
      </>
    );
  }
  return (
    <>
      <h1 className="text-2xl font-semibold">Organizations</h1>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2" aria-label="Organizations">
        {orgs.map((org) => (
          <li key={org.id}>
            <Link
              href={`/orgs/${org.id}/projects`}
              className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-600"
            >
              <bdi className="block break-words font-medium">{org.name}</bdi>
              <span className="text-sm text-slate-600">{roleLabel(org.role)}</span>
            </Link>
          </li>
        ))}
      </ul>
      <CreateOrganizationForm heading="Create another organization" />
    </>
  );
}
