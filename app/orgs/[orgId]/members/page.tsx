import type { Metadata } from "next";
import Link from "next/link";
import { DeliveryCell } from "@/components/ui/invitation-cells";
import { CursorRejected, Pager } from "@/components/ui/pager";
import { totalWords } from "@/components/ui/total-words";
import { Ellipsis, Table } from "@/components/ui/table";
import { requireActor } from "@/lib/auth/session";
import { inputClass } from "@/components/ui/field";
import { getOrganizationOverview, listOrganizationInvitations, listOrganizationMembers, listProjects, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { linkedPager, readFromCursor } from "@/lib/server/cursor-page";
import { readClock } from "@/lib/time";
import { getDb } from "@/lib/server/database";
import { LeaveOrganizationButton } from "./_components/leave-organization-button";
import { OrgInvitationActions } from "./_components/org-invitation-actions";
import { OrgInviteDialog } from "./_components/org-invite-dialog";
import { OrgRoleSelect } from "./_components/org-role-select";
import { RemoveMemberButton } from "./_components/remove-member-button";

export const metadata: Metadata = { title: "Organization users" };

/** Everyone in the organization: owners manage (invite, roles, remove, invitations), members may look. */
export default async function OrganizationUsersPage({ params, searchParams }: { params: Promise<{ orgId: string }>; searchParams: Promise<{ cursor?: string; invitations?: string; q?: string }> }) {
  const { orgId } = await params;
  const query = await searchParams;
  const q = typeof query.q === "string" ? query.q.slice(0, 200) : "";
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const isOwner = overview.orgRole === "owner";
  const [{ page: members, rejected: membersRejected }, invitationsRead, projects] = await Promise.all([
    orNotFound(readFromCursor((cursor) => listOrganizationMembers(db, actor, { orgId, cursor, q }), query.cursor)),
    isOwner ? orNotFound(readFromCursor((cursor) => listOrganizationInvitations(db, actor, { orgId, cursor }), query.invitations)) : null,
    isOwner ? orNotFound(listProjects(db, actor, { orgId })) : null,
  ]);
  const invitations = invitationsRead?.page ?? null;
  const here = { q: q || undefined, cursor: query.cursor, invitations: query.invitations };
  const renderedAt = readClock();
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          <bdi>{overview.org.name}</bdi>
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
          Members <span className="text-sm font-normal text-slate-600">({totalWords(members.total, members.capped)}{q ? " found" : ""})</span>
        </h2>
        <Table
          label="Members"
          rows={members.items}
          rowKey={(m) => m.userId}
          empty={q ? `No member matches “${q}”` : "No members"}
          columns={[
            {
              header: "Name",
              cell: (m) => (
                <span className="flex min-w-0 items-baseline gap-1">
                  <Ellipsis text={m.name ?? "—"} />
                  {m.userId === actor.id && <span className="shrink-0 text-slate-500">(you)</span>}
                </span>
              ),
            },
            { header: "Email", cell: (m) => <Ellipsis text={m.email} /> },
            { header: "Role", width: "w-52", cell: (m) => (isOwner ? <OrgRoleSelect orgId={orgId} userId={m.userId} email={m.email} role={m.role} /> : <span className="whitespace-nowrap">{roleLabel(m.role)}</span>) },
            { header: "Projects", width: "w-24", cell: (m) => m.projects },
            {
              header: "Actions",
              srOnlyHeader: true,
              width: "w-32",
              className: "lg:text-right",
              cell: (m) => (isOwner && m.userId !== actor.id ? <RemoveMemberButton orgId={orgId} userId={m.userId} email={m.email} projects={m.projects} /> : null),
            },
          ]}
        />
        {membersRejected && <CursorRejected />}
        <Pager label="Member" {...linkedPager(members, here, "cursor")} />
      </section>

      {invitations && invitationsRead && (
        <section aria-labelledby="org-invitations-heading" className="mt-10">
          <h2 id="org-invitations-heading" className="text-lg font-semibold">
            Pending invitations <span className="text-sm font-normal text-slate-600">({totalWords(invitations.total, invitations.capped)})</span>
          </h2>
          <Table
            label="Pending invitations"
            rows={invitations.items}
            rowKey={(i) => i.id}
            empty="No pending invitations"
            columns={[
              { header: "Email", cell: (i) => <Ellipsis text={i.email} /> },
              { header: "Role", width: "w-44", cell: (i) => <span className="whitespace-nowrap">{roleLabel(i.orgRole)}</span> },
              {
                header: "Project access",
                cell: (i) =>
                  i.grants.length === 0 ? (
                    "—"
                  ) : (
                    <span className="break-words">
                      {i.grants.map((g, n) => (
                        <span key={g.projectId}>
                          {n > 0 && ", "}
                          <bdi>{g.projectName}</bdi>: {roleLabel(g.role)}
                        </span>
                      ))}
                    </span>
                  ),
              },
              { header: "Expires", width: "w-36", cell: (i) => <span className={`whitespace-nowrap ${i.isExpired ? "font-medium text-red-700" : ""}`}>{i.expiryLabel}</span> },
              { header: "Delivery", width: "w-44", cell: (i) => <DeliveryCell row={i} /> },
              {
                header: "Actions",
                srOnlyHeader: true,
                width: "w-56",
                className: "lg:text-right lg:whitespace-nowrap",
                cell: (i) => <OrgInvitationActions orgId={orgId} invitationId={i.id} email={i.email} resendInSeconds={i.resendInSeconds} renderedAt={renderedAt} />,
              },
            ]}
          />
          {invitationsRead.rejected && <CursorRejected />}
          <Pager label="Pending invitations" {...linkedPager(invitations, here, "invitations")} />
        </section>
      )}
    </>
  );
}
