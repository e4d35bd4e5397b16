import type { ListFilter, ProjectPageLists } from "@/lib/membership";
import { readClock } from "@/lib/time";
import { asJson } from "@/components/ui/json";
import { orNotFound } from "@/lib/server/or-not-found";
import { ActivityList } from "./activity-list";
import { CollaboratorsTable } from "./collaborators-table";
import { InvitationsTable } from "./invitations-table";

interface Props {
  lists: Promise<ProjectPageLists>;
  orgId: string;
  projectId: string;
  projectName: string;
  actorId: string;
  canManage: boolean;
  canLeave: boolean;
  isLastAdmin: boolean;
  filters: { collaborators: ListFilter; invitations: ListFilter };
}

/** The page's three lists, streamed in once read (the page's header has gone out before them). */
export async function ProjectLists({ lists, orgId, projectId, filters, ...header }: Props) {
  const { collaborators, invitations, activity } = await orNotFound(lists);
  // When the lists were read: the browser's first render counts times from here, as the server did.
  const renderedAt = readClock();
  return (
    <>
      <CollaboratorsTable
        orgId={orgId}
        projectId={projectId}
        {...header}
        initial={asJson(collaborators)}
        initialFilter={filters.collaborators}
        renderedAt={renderedAt}
      />
      {invitations && (
        <InvitationsTable
          orgId={orgId}
          projectId={projectId}
          initial={asJson(invitations)}
          initialFilter={filters.invitations}
          renderedAt={renderedAt}
        />
      )}
      {activity && <ActivityList orgId={orgId} projectId={projectId} initial={asJson(activity)} renderedAt={renderedAt} />}
    </>
  );
}
