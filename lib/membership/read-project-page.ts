import type { Db } from "@/db/client";
import { isDomainError, notFound } from "./errors";
import { listActivity } from "./list-activity";
import { listCollaborators } from "./list-collaborators";
import type { ListFilter } from "./list-filter";
import { listPendingInvitations } from "./list-pending-invitations";
import { getProjectOverview } from "./navigation";
import type { Actor, VerbOptions } from "./types";

/**
 * Everything the project users page shows, read as one view: the actor's access, then the lists
 * that access allows. Each read checks access on its own, so a demotion or removal between them
 * refuses a later read; then the view is read again from the start (the fresh access decides what
 * is shown), and a second refusal means the project is gone for this actor: not found.
 * `betweenReads` lets tests change access at that exact moment. `filters` narrows the first page
 * of each list as the page's address asks.
 */
export async function readProjectPage(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; filters?: { collaborators?: ListFilter; invitations?: ListFilter } },
  options: VerbOptions & { betweenReads?: (attempt: number) => Promise<void> } = {},
) {
  for (let attempt = 1; ; attempt++) {
    const ids = { orgId: input.orgId, projectId: input.projectId };
    const overview = await getProjectOverview(db, actor, ids);
    await options.betweenReads?.(attempt);
    try {
      const [collaborators, invitations, activity] = await Promise.all([
        listCollaborators(db, actor, { ...ids, ...input.filters?.collaborators }),
        overview.can["invitations.view"] ? listPendingInvitations(db, actor, { ...ids, ...input.filters?.invitations }, options) : null,
        overview.can["activity.view"] ? listActivity(db, actor, ids) : null,
      ]);
      return { overview, collaborators, invitations, activity };
    } catch (err) {
      if (!isDomainError(err)) throw err;
      if (attempt >= 2) throw notFound();
    }
  }
}
