"use client";

import type { InviteOutcome, ListFilter, Page } from "@/lib/membership";
import type { ActionResult } from "@/lib/server/action-result";

import type { Json } from "@/components/ui/json";
import type { ActivityRow, CollaboratorRow, InvitationRow, ListName, ListRow } from "./list-rows";

export type { Json };
export type { ActivityRow, CollaboratorRow, InvitationRow, ListName, ListRow };
export type { InviteOutcome };

/** The query key of a project list; every key of the project starts with ["project", projectId], which is what a change invalidates. */
export const listKey = (projectId: string, list: ListName, cursor?: string, filter: ListFilter = {}) =>
  cursor === undefined
    ? (["project", projectId, list] as const)
    : (["project", projectId, list, cursor, filter.q ?? "", filter.role ?? ""] as const);

/** Fetches one page of a project list from the route handler ("" cursor: the first page); refusals become errors with their sentence. */
export async function fetchList<L extends ListName>(
  orgId: string,
  projectId: string,
  list: L,
  cursor: string,
  filter: ListFilter = {},
): Promise<Json<Page<ListRow<L>>>> {
  const query = new URLSearchParams({
    ...(cursor ? { cursor } : {}),
    ...(filter.q ? { q: filter.q } : {}),
    ...(filter.role ? { role: filter.role } : {}),
  });
  const response = await fetch(`/api/orgs/${orgId}/projects/${projectId}/${list}?${query.toString()}`, { cache: "no-store" });
  const body = (await response.json().catch(() => null)) as ActionResult<Json<Page<ListRow<L>>>> | null;
  if (!body) throw new Error("Could not load this list. Check your connection and try again.");
  if (!body.ok) throw new Error(body.message);
  return body.data;
}
