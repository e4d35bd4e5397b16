import type { Metadata } from "next";
import { invitationRow } from "@/components/ui/invitation-row";
import { CursorRejected, Pager } from "@/components/ui/pager";
import { totalWords } from "@/components/ui/total-words";
import { Ellipsis, Table } from "@/components/ui/table";
import { requireActor } from "@/lib/auth/session";
import { getOrganizationOverview, listOrganizationInvitations, listOrganizationMembers, listProjects, roleLabel } from "@/lib/membership";
import { orNotFound } from "@/lib/server/or-not-found";
import { linkedPager, readFromCursor } from "@/lib/server/cursor-page";
import { readClock } from "@/lib/time";
import { getDb } from "@/lib/server/database";
import { OrgBreadcrumb } from "../_components/org-page-header";
import { LeaveOrganizationButton } from "./_components/leave-organization-button";
import { MembersSearch } from "./_components/members-search";
import { OrgInvitationsTable } from "./_components/org-invitations-table";
import { OrgInviteDialog } from "./_components/org-invite-dialog";
import { OrgRoleSelect } from "./_components/org-role-select";
import { RemoveMemberButton } from "./_components/remove-member-button";

export const metadata: Metadata = { title: "Organization users" };

/** Everyone in the organization: owners manage (invite, roles, remove, invitations), members may look. */
export default async function OrganizationUsersPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { orgId } = await params;
  const query = await searchParams;
  const raw = (v: string | string[] | undefined) => (typeof v === "string" && v !== "" ? v : undefined);
  const one = (v: string | string[] | undefined) => raw(v)?.slice(0, 200);
  // The lists' filters live in the address as on the project page (?q=&role=, ?pending_q=&pending_role=), their cursors too.
  const members = { q: one(query.q), role: one(query.role) };
  const pending = { q: one(query.pending_q), role: one(query.pending_role) };
  const actor = await requireActor();
  const db = getDb();
  const overview = await orNotFound(getOrganizationOverview(db, actor, { orgId }));
  const isOwner = overview.orgRole === "owner";
  const [{ page: memberPage, rejected: membersRejected }, invitationsRead, projects] = await Promise.all([
    orNotFound(readFromCursor((cursor) => listOrganizationMembers(db, actor, { orgId, cursor, ...members }), query.cursor)),
    isOwner
      ? orNotFound(readFromCursor((cursor) => listOrganizationInvitations(db, actor, { orgId, cursor, ...pending }), query.invitations))
      : null,
    isOwner ? orNotFound(listProjects(db, actor, { orgId })) : null,
  ]);
  const invitations = invitationsRead?.page ?? null;
  const here = {
    q: members.q,
    role: members.role,
    cursor: raw(query.cursor),
    pending_q: pending.q,
    pending_role: pending.role,
    invitations: raw(query.invitations),
  };
  const membersFiltered = Boolean(members.q || members.role);
  const renderedAt = readClock();
  return (
    <>
      <OrgBreadcrumb orgId={orgId} orgName={overview.org.name} page="Organization users" />
      <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Organization users</h1>
        <div className="flex flex-wrap gap-2">
          {isOwner && projects && (
            <OrgInviteDialog
              orgId={orgId}
              orgName={overview.org.name}
              projects={projects.projects.map((p) => ({ id: p.id, name: p.name }))}
            />
          )}
          <LeaveOrganizationButton orgId={orgId} orgName={overview.org.name} isLastOwner={overview.isLastOwner} />
        </div>
      </div>
      <p className="text-sm text-slate-600">
        Your role: {roleLabel(overview.orgRole)}.{" "}
        {isOwner
          ? "Removing someone from the organization also removes them from every project in it."
          : "Organization Owners manage who is here."}
      </p>

      <section aria-labelledby="members-heading" className="mt-4">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members{" "}
          <span className="text-sm font-normal text-slate-600">
            ({totalWords(memberPage.total, memberPage.capped)}
            {membersFiltered ? " found" : ""})
          </span>
        </h2>
        <MembersSearch />
        <Table
          label="Members"
          rows={memberPage.items}
          rowKey={(m) => m.userId}
          empty={
            membersFiltered
              ? `No member matches${members.q ? ` “${members.q}”` : ""}` +
                `${members.role === "owner" || members.role === "member" ? ` as ${roleLabel(members.role)}` : ""}`
              : "No members"
          }
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
            {
              header: "Role",
              width: "w-52",
              cell: (m) =>
                isOwner ? (
                  <OrgRoleSelect orgId={orgId} userId={m.userId} email={m.email} role={m.role} />
                ) : (
                  <span className="whitespace-nowrap">{roleLabel(m.role)}</span>
                ),
            },
            { header: "Projects", width: "w-24", cell: (m) => m.projects },
            {
              header: "Actions",
              srOnlyHeader: true,
              width: "w-32",
              className: "lg:text-right",
              cell: (m) =>
                isOwner && m.userId !== actor.id ? (
                  <RemoveMemberButton orgId={orgId} userId={m.userId} email={m.email} projects={m.projects} />
                ) : null,
            },
          ]}
        />
        {membersRejected && <CursorRejected />}
        <Pager label="Member" {...linkedPager(memberPage, here, "cursor")} />
      </section>

      {invitations && invitationsRead && (
        <>
          {invitationsRead.rejected && <CursorRejected />}
          <OrgInvitationsTable
            orgId={orgId}
            page={{
              total: invitations.total,
              capped: invitations.capped,
              items: invitations.items.map((i) => invitationRow(i, "organization")),
            }}
            pager={{ label: "Pending invitations", ...linkedPager(invitations, here, "invitations") }}
            renderedAt={renderedAt}
          />
        </>
      )}
    </>
  );
}
