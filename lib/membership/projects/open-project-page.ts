import "server-only";
import type { Db } from "@/db/client";
import { projectActivityList, type ActivityItem } from "../activity/list-activity";
import { collaboratorList, type Collaborator } from "../collaborators/list-collaborators";
import type { ListFilter } from "../list-filter";
import { pendingInvitationList, type PendingInvitation } from "../invitations/list-pending-invitations";
import { readFirstPages } from "../read-first-pages";
import { getProjectOverview, type ProjectOverview } from "./get-project-overview";
import type { Actor, Page, VerbOptions } from "../types";

/** The lists of the project users page; null for a list the actor may not see. */
export interface ProjectPageLists {
  collaborators: Page<Collaborator>;
  invitations: Page<PendingInvitation> | null;
  activity: Page<ActivityItem> | null;
}

/**
 * Everything the project users page shows, read as one view, in two parts: the header (the
 * actor's access, read first) and the lists. Both come from one read-only transaction at
 * REPEATABLE READ, so a demotion or removal committed while the page is read is simply not in
 * it: the page shows what the actor could see at that instant, and the next read shows the
 * change. `overview` settles as soon as the access is read, so the page can be sent before the
 * lists; when access is refused, both refuse and no list is read. `filters` narrows the first
 * page of each list as the page's address asks. `afterAccess` lets tests act at the moment between
 * the access read and the lists.
 */
export function openProjectPage(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; filters?: { collaborators?: ListFilter; invitations?: ListFilter } },
  options: VerbOptions & { afterAccess?: () => Promise<void> } = {},
): { overview: Promise<ProjectOverview>; lists: Promise<ProjectPageLists> } {
  const ids = { orgId: input.orgId, projectId: input.projectId };
  let settle!: { resolve: (o: ProjectOverview) => void; reject: (err: unknown) => void };
  const overview = new Promise<ProjectOverview>((resolve, reject) => (settle = { resolve, reject }));
  const lists = db.transaction(
    async (tx) => {
      const access = await getProjectOverview(tx, actor, ids);
      settle.resolve(access);
      await options.afterAccess?.();
      // The first pages of the lists the actor may see, in one statement, without a second access check.
      const [collaborators, invitations, activity] = await readFirstPages(tx, [
        collaboratorList(tx, { ...ids, ...input.filters?.collaborators }),
        access.can["invitations.view"] ? pendingInvitationList(tx, { ...ids, ...input.filters?.invitations }, options) : null,
        access.can["activity.view"] ? projectActivityList(tx, ids) : null,
      ]);
      return { collaborators, invitations, activity };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
  // A refusal (or a failure before the access was read) settles the header too; whoever awaits
  // the lists sees the same error, and nobody awaiting them is no unhandled rejection.
  lists.catch(settle.reject);
  return { overview, lists };
}
