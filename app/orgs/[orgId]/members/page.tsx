import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { inputClass } from "@/components/ui/field";
import { getOrganizationOverview, listOrganizationInvitations, listOrganizationMembers, listProjects, pageNumber, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { LeaveOrganizationButton } from "./_components/leave-organization-button";
import { OrgInvitationActions } from "./_components/org-invitation-actions";
import { OrgInviteDialog } from "./_components/org-invite-dialog";
import { OrgRoleSelect } from "./_components/org-role-select";
import { RemoveMemberButton } from "./_components/remove-member-button";

export const metadata: Metadata = { title: "Organization users" };

/** Everyone in the organization: owners manage (invite, roles, remove, invitations), members may look. */
export default async function OrganizationUsersPage({ params, searchParams }: { params: Promise<{ orgId: string }>; searchParams: Promise<{ page?: string; q?: string }> }) {
  const { orgId } = await params;
  const query = await searchParams;
  const page = pageNumber(query.page);
  const q = typeof query.q === "string" ? query.q.slice(0, 200) : "";
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const isOwner = overview.orgRole === "owner";
  const [members, invitations, projects] = await Promise.all([
    orNotFound(listOrganizationMembers(db, actor, { orgId, page, q })),
    isOwner ? orNotFound(listOrganizationInvitations(db, actor, { orgId })) : null,
    isOwner ? orNotFound(listProjects(db, actor, { orgId })) : null,
  ]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          {overview.org.name}
        </Link>{" "}
        / <span aria-current="page">Organization users</span>
      </nav>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Organization users</h1>
        <div className="flex flex-wrap gap-2">
          {isOwner && projects && <OrgInviteDialog orgId={orgId} orgName={overview.org.name} projects={projects.projects.map((p) => ({ id: p.id, name: p.name }))} />}
          <LeaveOrganizationButton orgId={orgId} orgName={overview.org.name} isLastOwner={overview.isLastOwner} />
        </div>
      </div>
      <p className="text-sm text-slate-600">
        Your role: {roleLabel(overview.orgRole)}. {isOwner ? "Removing someone from the organization also removes them from every project in it." : "Organization Owners manage who is here."}
      </p>

      <form method="get" role="search" className="mt-4 flex max-w-md gap-2">
        <label htmlFor="member-search" className="sr-only">
          Search members
        </label>
        <input id="member-search" name="q" type="search" defaultValue={q} placeholder="Search by name or email" maxLength={200} className={inputClass} />
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100">
          Search
        </button>
      </form>

      <section aria-labelledby="members-heading" className="mt-4">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members <span className="text-sm font-normal text-slate-600">({members.total})</span>
        </h2>
        {members.items.length === 0 ? (
          <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-slate-600">{q ? `No member matches “${q}”` : "No members"}</p>
        ) : (
          <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table aria-label="Members" className="w-full min-w-[36rem] text-left text-sm">
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
                    <td className="break-words px-3 py-2">{m.name ?? "—"}</td>
                    <td className="break-all px-3 py-2">{m.email}</td>
                    <td className="px-3 py-2">{isOwner ? <OrgRoleSelect orgId={orgId} userId={m.userId} email={m.email} role={m.role} /> : roleLabel(m.role)}</td>
                    <td className="px-3 py-2">{m.projects}</td>
                    <td className="px-3 py-2 text-right">{isOwner && m.userId !== actor.id && <RemoveMemberButton orgId={orgId} userId={m.userId} email={m.email} projects={m.projects} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <PageLinksWithQuery page={page} pageSize={members.pageSize} total={members.total} q={q} />
      </section>

      {invitations && (
        <section aria-labelledby="org-invitations-heading" className="mt-10">
          <h2 id="org-invitations-heading" className="text-lg font-semibold">
            Pending invitations <span className="text-sm font-normal text-slate-600">({invitations.total})</span>
          </h2>
          {invitations.items.length === 0 ? (
            <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-slate-600">No pending invitations</p>
          ) : (
            <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
              <table aria-label="Pending invitations" className="w-full min-w-[44rem] text-left text-sm">
                <thead className="bg-slate-50 text-slate-700">
                  <tr>
                    <th scope="col" className="px-3 py-2 font-medium">Email</th>
                    <th scope="col" className="px-3 py-2 font-medium">Role</th>
                    <th scope="col" className="px-3 py-2 font-medium">Project access</th>
                    <th scope="col" className="px-3 py-2 font-medium">Expires</th>
                    <th scope="col" className="px-3 py-2 font-medium">Delivery</th>
                    <th scope="col" className="px-3 py-2 font-medium">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {invitations.items.map((i) => (
                    <tr key={i.id}>
                      <td className="break-all px-3 py-2">{i.email}</td>
                      <td className="px-3 py-2">{roleLabel(i.orgRole)}</td>
                      <td className="px-3 py-2">{i.grants.length === 0 ? "—" : i.grants.map((g) => `${g.projectName}: ${roleLabel(g.role)}`).join(", ")}</td>
                      <td className={`whitespace-nowrap px-3 py-2 ${i.isExpired ? "font-medium text-red-700" : ""}`}>{i.expiryLabel}</td>
                      <td className="px-3 py-2">
                        {i.deliveryLabel}
                        {i.lastError && i.delivery !== "sending" && <span className="block text-xs text-slate-600">{i.lastError.slice(0, 160)}</span>}
                      </td>
                      <td className="whitespace-nowrap px-3 py-2 text-right">
                        <OrgInvitationActions orgId={orgId} invitationId={i.id} email={i.email} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}

function PageLinksWithQuery({ page, pageSize, total, q }: { page: number; pageSize: number; total: number; q: string }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const href = (n: number) => `?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) }).toString()}`;
  return (
    <nav aria-label="Member pages" className="mt-3 flex justify-between text-sm">
      {page > 1 ? <Link href={href(page - 1)} className="underline">Previous page</Link> : <span />}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link href={href(page + 1)} className="underline">Next page</Link> : <span />}
    </nav>
  );
}
