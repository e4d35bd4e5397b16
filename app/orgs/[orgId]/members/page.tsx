import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { PageLinks } from "@/components/ui/page-links";
import { listOrganizationMembers, pageNumber, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { RemoveMemberButton } from "./remove-member-button";

export const metadata: Metadata = { title: "Organization members" };

/** Everyone in the organization; Organization Owners may remove people from it. */
export default async function OrganizationMembersPage({ params, searchParams }: { params: Promise<{ orgId: string }>; searchParams: Promise<{ page?: string }> }) {
  const { orgId } = await params;
  const page = pageNumber((await searchParams).page);
  const actor = await requireActor();
  const members = await orNotFound(listOrganizationMembers(getDb(), actor, { orgId, page }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          Projects
        </Link>{" "}
        / <span aria-current="page">Members</span>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">Organization members</h1>
      <p className="text-sm text-slate-600">Removing someone from the organization also removes them from every project in it.</p>
      <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="Organization members" className="w-full min-w-[36rem] text-left text-sm">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Name</th>
              <th scope="col" className="px-3 py-2 font-medium">Email</th>
              <th scope="col" className="px-3 py-2 font-medium">Role</th>
              <th scope="col" className="px-3 py-2 font-medium">Projects</th>
              <th scope="col" className="px-3 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {members.items.map((m) => (
              <tr key={m.userId}>
                <td className="px-3 py-2">{m.name ?? "—"}</td>
                <td className="break-all px-3 py-2">{m.email}</td>
                <td className="px-3 py-2">{roleLabel(m.role)}</td>
                <td className="px-3 py-2">{m.projects}</td>
                <td className="px-3 py-2 text-right">{m.userId !== actor.id && <RemoveMemberButton orgId={orgId} userId={m.userId} email={m.email} projects={m.projects} />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PageLinks label="Member" page={page} pageSize={members.pageSize} total={members.total} />
    </>
  );
}
