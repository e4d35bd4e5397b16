import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { readProjectPage, roleLabel } from "@/lib/membership";
import { getDb } from "@/lib/server/database";
import { orNotFound } from "@/lib/server/or-not-found";
import { ActivityList } from "./_components/activity-list";
import type { Json } from "./_components/api";
import { CollaboratorsTable } from "./_components/collaborators-table";
import { InvitationsTable } from "./_components/invitations-table";
import { InviteDialog } from "./_components/invite-dialog";
import { LeaveProjectButton } from "./_components/leave-project-button";

export const metadata: Metadata = { title: "Project users" };

/** Dates become strings exactly as the list route sends them, so first render and refetch agree. */
const asJson = <T,>(value: T) => JSON.parse(JSON.stringify(value)) as Json<T>;

export default async function MembersPage({ params }: { params: Promise<{ orgId: string; projectId: string }> }) {
  const { orgId, projectId } = await params;
  const actor = await requireActor();
  const db = getDb();
  const ids = { orgId, projectId };
  // One view: a demotion or removal between its reads gives the fresh view or not found.
  const { overview, collaborators, invitations, activity } = await orNotFound(readProjectPage(db, actor, ids));
  const canManage = overview.can["members.editRole"];
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/orgs" className="underline">
          Organizations
        </Link>{" "}
        /{" "}
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          {overview.org.name}
        </Link>{" "}
        / <span aria-current="page">{overview.project.name}</span>
      </nav>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Project users</h1>
          <p className="text-sm text-slate-600">
            {overview.project.name} · your access:{" "}
            {overview.projectRole ? roleLabel(overview.projectRole) : overview.orgRole === "owner" ? "Organization Owner" : "—"}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {overview.can["members.invite"] && <InviteDialog orgId={orgId} projectId={projectId} projectName={overview.project.name} />}
          {overview.can["project.leave"] && (
            <LeaveProjectButton orgId={orgId} projectId={projectId} projectName={overview.project.name} isLastAdmin={overview.isLastAdmin} />
          )}
        </div>
      </div>
      <CollaboratorsTable orgId={orgId} projectId={projectId} actorId={actor.id} canManage={canManage} initial={asJson(collaborators)} />
      {invitations && <InvitationsTable orgId={orgId} projectId={projectId} initial={asJson(invitations)} />}
      {activity && <ActivityList orgId={orgId} projectId={projectId} initial={asJson(activity)} />}
    </>
  );
}
