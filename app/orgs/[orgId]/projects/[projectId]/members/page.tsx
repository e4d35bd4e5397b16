import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { requireActor } from "@/lib/auth/session";
import { openProjectPage, roleLabel } from "@/lib/membership";
import { getDb } from "@/lib/server/database";
import { orNotFound } from "@/lib/server/or-not-found";
import { InviteDialog } from "./_components/invite-dialog";
import { LeaveProjectButton } from "./_components/leave-project-button";
import { ListsSkeleton } from "./_components/lists-skeleton";
import { ProjectLists } from "./_components/project-lists";
import { QueryProvider } from "./_components/query-provider";

export const metadata: Metadata = { title: "Project users" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export default async function MembersPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string; projectId: string }>;
  searchParams: Promise<Search>;
}) {
  const { orgId, projectId } = await params;
  const search = await searchParams;
  // The lists' filters live in the address (?q=&role=, ?pending_q=&pending_role=), so a filtered view can be shared.
  const filters = {
    collaborators: { q: one(search.q), role: one(search.role) },
    invitations: { q: one(search.pending_q), role: one(search.pending_role) },
  };
  const actor = await requireActor();
  // One view: a demotion or removal between its reads gives the fresh view or not found. Access is
  // read first and decides the response (not found sends nothing of the project); the header then
  // goes out at once and the lists follow from the same snapshot.
  const view = openProjectPage(getDb(), actor, { orgId, projectId, filters });
  const overview = await orNotFound(view.overview);
  return (
    <QueryProvider>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href="/orgs" className="underline">
          Organizations
        </Link>{" "}
        /{" "}
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          <bdi>{overview.org.name}</bdi>
        </Link>{" "}
        /{" "}
        <bdi aria-current="page" className="break-words">
          {overview.project.name}
        </bdi>
      </nav>
      <div className="mt-2 flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold">Project users</h1>
          <p className="break-words text-sm text-slate-600">
            <bdi>{overview.project.name}</bdi> · your access:{" "}
            {overview.projectRole ? roleLabel(overview.projectRole) : overview.orgRole === "owner" ? "Organization Owner" : "—"}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {overview.can["members.invite"] && <InviteDialog orgId={orgId} projectId={projectId} projectName={overview.project.name} />}
          {overview.can["project.leave"] && (
            <LeaveProjectButton
              orgId={orgId}
              projectId={projectId}
              projectName={overview.project.name}
              isLastAdmin={overview.isLastAdmin}
            />
          )}
        </div>
      </div>
      <Suspense fallback={<ListsSkeleton invitations={overview.can["invitations.view"]} activity={overview.can["activity.view"]} />}>
        <ProjectLists
          lists={view.lists}
          orgId={orgId}
          projectId={projectId}
          projectName={overview.project.name}
          actorId={actor.id}
          canManage={overview.can["members.editRole"]}
          canLeave={overview.can["project.leave"]}
          isLastAdmin={overview.isLastAdmin}
          filters={filters}
        />
      </Suspense>
    </QueryProvider>
  );
}
