"use client";

import type { ActivityItem, Collaborator, InviteOutcome, Page, PendingInvitation } from "@/lib/membership";
import type { ActionResult } from "@/lib/server/action-result";

/** What a value looks like after a JSON round trip (dates become strings). */
export type Json<T> = T extends Date ? string : T extends (infer U)[] ? Json<U>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;

export type CollaboratorRow = Json<Collaborator>;
export type InvitationRow = Json<PendingInvitation>;
export type ActivityRow = Json<ActivityItem>;
export type { InviteOutcome };

export type ListName = "collaborators" | "invitations" | "activity";
export type ListRow<L extends ListName> = L extends "collaborators" ? CollaboratorRow : L extends "invitations" ? InvitationRow : ActivityRow;

export const listKey = (projectId: string, list: ListName, page?: number) =>
  page === undefined ? (["project", projectId, list] as const) : (["project", projectId, list, page] as const);

/** Fetches one page of a project list from the route handler; refusals become errors with their sentence. */
export async function fetchList<L extends ListName>(orgId: string, projectId: string, list: L, page: number): Promise<Json<Page<ListRow<L>>>> {
  const response = await fetch(`/api/orgs/${orgId}/projects/${projectId}/${list}?page=${page}`, { cache: "no-store" });
  const body = (await response.json().catch(() => null)) as ActionResult<Json<Page<ListRow<L>>>> | null;
  if (!body) throw new Error("Could not load this list. Check your connection and try again.");
  if (!body.ok) throw new Error(body.message);
  return body.data;
}

/** Unwraps an action result for TanStack Query: refusals become errors with their sentence. */
export async function unwrap<T>(promise: Promise<ActionResult<T>>): Promise<T> {
  let result: ActionResult<T>;
  try {
    result = await promise;
  } catch {
    throw new Error("Could not reach the server. Nothing was changed; please try again.");
  }
  if (!result.ok) throw new Error(result.message);
  return result.data;
}

/**
 * For a confirmation dialog: runs the mutation, closes on success, and on refusal shows the
 * server's sentence and keeps the dialog open.
 */
export async function confirmed(run: () => Promise<unknown>, onError: (message: string) => void): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (err) {
    onError((err as Error).message);
    return false;
  }
}
