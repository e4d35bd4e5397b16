import "server-only";
import type { Db } from "@/db/client";
import type { ListFilter } from "../list-filter";
import { openProjectPage } from "./open-project-page";
import type { Actor, VerbOptions } from "../types";

/**
 * Everything the project users page shows, read as one view (see `openProjectPage`), awaited
 * whole: the actor's access and every list from the same snapshot.
 */
export async function readProjectPage(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; filters?: { collaborators?: ListFilter; invitations?: ListFilter } },
  options: VerbOptions & { afterAccess?: () => Promise<void> } = {},
) {
  const view = openProjectPage(db, actor, input, options);
  const overview = await view.overview;
  return { overview, ...(await view.lists) };
}
