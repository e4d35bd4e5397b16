import type { Db } from "@/db/client";
import { isDomainError, notFound } from "./errors";
import { listActivity } from "./list-activity";
import { listCollaborators } from "./list-collaborators";
import { listPendingInvitations } from "./list-pending-invitations";
import { getProjectOverview } from "./navigation";
import type { Actor, VerbOptions } from "./types";

/**
 * Everything the project users page shows, read as one view: the actor's access, then the lists
 * that access allows. Each read checks access on its own, so a demotion or removal between them
 * refuses a later read; then the view is read again from the start (the fresh access decides what
 * is shown), and a second refusal means the project is gone for this actor: not found.
 * `betweenReads` lets tests change access at that exact moment.
 */
export async function readProjectPage(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string },
  options: VerbOptions & { betweenReads?: (attempt: number) => Promise<void> } = {},
) {
  for (let attempt = 1; ; attempt++) {
    const overview = await getProjectOverview(db, actor, input);
    await options.betweenReads?.(attempt);
    try {
      const [collaborators, invitations, activity] = await Promise.all([
        listCollaborators(db, actor, input),
        overview.can["invitations.view"] ? listPendingInvitations(db, actor, input, options) : null,
        overview.can["activity.view"] ? listActivity(db, actor, input) : null,
      ]);
      return { overview, collaborators, invitations, activity };
    } catch (err) {
      if (!isDomainError(err)) throw err;
      if (attempt >= 2) throw notFound();
    }
  }
}
