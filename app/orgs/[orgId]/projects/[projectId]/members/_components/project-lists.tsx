import { withDeliveryWords } from "@/components/ui/invitation-row";
import type { ListFilter, ProjectPageLists } from "@/lib/membership";
import { readClock } from "@/lib/time";
import { orNotFound } from "@/lib/server/or-not-found";
import { ActivityList } from "./activity-list";
import { CollaboratorsTable, type CollaboratorsTableProps } from "./collaborators-table";
import { InvitationsTable } from "./invitations-table";
import { packPage } from "./list-rows";

type Props = Pick<CollaboratorsTableProps, "orgId" | "projectId" | "projectName" | "actorId" | "canManage" | "canLeave" | "isLastAdmin"> & {
  lists: Promise<ProjectPageLists>;
  filters: { collaborators: ListFilter; invitations: ListFilter };
};

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
        initial={packPage("collaborators", collaborators)}
        initialFilter={filters.collaborators}
        renderedAt={renderedAt}
      />
      {invitations && (
        <InvitationsTable
          orgId={orgId}
          projectId={projectId}
          initial={packPage("invitations", { ...invitations, items: invitations.items.map(withDeliveryWords) })}
          initialFilter={filters.invitations}
          renderedAt={renderedAt}
        />
      )}
      {activity && <ActivityList orgId={orgId} projectId={projectId} initial={packPage("activity", activity)} renderedAt={renderedAt} />}
    </>
  );
}
