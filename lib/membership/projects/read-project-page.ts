import "server-only";
import type { Db } from "@/db/client";
import { readActivity } from "../activity/list-activity";
import { readCollaborators } from "../collaborators/list-collaborators";
import type { ListFilter } from "../list-filter";
import { readPendingInvitations } from "../invitations/list-pending-invitations";
import { getProjectOverview } from "./get-project-overview";
import type { Actor, VerbOptions } from "../types";

/**
 * Everything the project users page shows, read as one view: one read-only transaction at
 * REPEATABLE READ, so the actor's access (read once) and every list come from the same snapshot.
 * A demotion or removal committed while the page is read is simply not in it: the page shows what
 * the actor could see at that instant, and the next read shows the change. `filters` narrows the
 * first page of each list as the page's address asks. `afterAccess` lets tests act at the moment
 * between the access read and the lists.
 */
export async function readProjectPage(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; filters?: { collaborators?: ListFilter; invitations?: ListFilter } },
  options: VerbOptions & { afterAccess?: () => Promise<void> } = {},
) {
  const ids = { orgId: input.orgId, projectId: input.projectId };
  return db.transaction(
    async (tx) => {
      const overview = await getProjectOverview(tx, actor, ids);
      await options.afterAccess?.();
      // One connection: the reads run one after the other, each without a second access check.
      const collaborators = await readCollaborators(tx, { ...ids, ...input.filters?.collaborators });
      const invitations = overview.can["invitations.view"]
        ? await readPendingInvitations(tx, { ...ids, ...input.filters?.invitations }, options)
        : null;
      const activity = overview.can["activity.view"] ? await readActivity(tx, ids) : null;
      return { overview, collaborators, invitations, activity };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
