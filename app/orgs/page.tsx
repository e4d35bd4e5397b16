import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listOrganizations, roleLabel } from "@/lib/membership";
import { getDb } from "@/lib/server/database";

export const metadata: Metadata = { title: "Organizations" };

export default async function OrganizationsPage() {
  const actor = await requireActor();
  const orgs = await listOrganizations(getDb(), actor);
  return (
    <>
      <h1 className="text-2xl font-semibold">Organizations</h1>
      {orgs.length === 0 ? (
        <p className="mt-4 text-slate-600">You are not a member of any organization yet. Ask an Organization Owner or a Project Admin to invite you.</p>
      ) : (
        <ul className="mt-4 grid gap-3 sm:grid-cols-2" aria-label="Organizations">
          {orgs.map((org) => (
            <li key={org.id}>
              <Link href={`/orgs/${org.id}/projects`} className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-brand-600">
                <span className="block font-medium">{org.name}</span>
                <span className="text-sm text-slate-600">{roleLabel(org.role)}</span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
