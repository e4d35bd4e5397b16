import type { ActivityItem, Collaborator, Page, PendingInvitation } from "@/lib/membership";
import { invitationRow, type InvitationRow } from "@/components/ui/invitation-row";
import type { Json } from "@/components/ui/json";

/**
 * The rows of the page's lists as the server sends them to the browser. Each first page goes out
 * twice, as HTML and as the props of the list (TanStack Query's initial data), so a row carries
 * only what its list shows or acts on, and leaves out empty fields. A row the list route sends
 * (every field, nulls included) is one of these too.
 */
export type CollaboratorRow = Json<Collaborator>;
export type { InvitationRow };
export type ActivityRow = Pick<Json<ActivityItem>, "id" | "action" | "createdAt"> &
  Partial<Omit<Json<ActivityItem>, "id" | "action" | "createdAt">>;

/** A page of a list with its rows as sent to the browser. */
export const rowsOf = <T, R>(page: Page<T>, row: (item: T) => R): Json<Page<R>> =>
  ({ ...page, items: page.items.map(row) }) as Json<Page<R>>;

export const collaboratorRow = (c: Collaborator): CollaboratorRow => ({
  userId: c.userId,
  name: c.name,
  email: c.email,
  role: c.role,
  joinedAt: c.joinedAt.toJSON(),
});

export const pendingInvitationRow = (i: PendingInvitation): InvitationRow => invitationRow(i, "project");

/** An activity record without its empty fields (most of a record's who and what are null). */
export function activityRow(a: ActivityItem): ActivityRow {
  const row: Record<string, unknown> = { id: a.id, action: a.action, createdAt: a.createdAt.toJSON() };
  for (const [key, value] of Object.entries(a)) if (!(key in row) && value !== null && value !== false) row[key] = value;
  return row as ActivityRow;
}
