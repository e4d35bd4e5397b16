import type { ActivityItem, Collaborator, Page } from "@/lib/membership";
import type { InvitationRow } from "@/components/ui/invitation-row";
import type { Json } from "@/components/ui/json";

/**
 * The rows of the page's lists, and how their first pages travel to the browser. Each first page
 * goes out twice, as HTML and as the props of its list (TanStack Query's initial data), so the
 * props carry a row as an array of the values its list shows or acts on, under the list's keys
 * named once: no field name repeated on every row, no empty field. The browser unpacks them into
 * rows before they enter the cache, so the lists see rows as the list route sends them (which
 * have every field, nulls included: those are rows of these types too).
 */
export type CollaboratorRow = Pick<Json<Collaborator>, "userId" | "email" | "role" | "joinedAt"> &
  Partial<Pick<Json<Collaborator>, "name">>;
export type { InvitationRow };
export type ActivityRow = Pick<Json<ActivityItem>, "id" | "action" | "createdAt"> &
  Partial<Omit<Json<ActivityItem>, "id" | "action" | "createdAt">>;

export const COLLABORATOR_KEYS = ["userId", "email", "role", "joinedAt", "name"] as const satisfies readonly (keyof CollaboratorRow)[];
export const INVITATION_KEYS = [
  "id",
  "email",
  "role",
  "expiryLabel",
  "resendInSeconds",
  "delivery",
  "deliveryLabel",
  "invitedBy",
  "isExpired",
  "deliveryReason",
  "lastError",
] as const satisfies readonly (keyof InvitationRow)[];
export const ACTIVITY_KEYS = [
  "id",
  "action",
  "createdAt",
  "actorEmail",
  "targetEmail",
  "newRole",
  "oldRole",
  "projectName",
  "detail",
  "actorApiKeyName",
  "actorConnectionName",
  "actorScim",
] as const satisfies readonly (keyof ActivityRow)[];

export type ListName = "collaborators" | "invitations" | "activity";
export type ListRow<L extends ListName> = L extends "collaborators"
  ? CollaboratorRow
  : L extends "invitations"
    ? InvitationRow
    : ActivityRow;

const KEYS: { [L in ListName]: readonly (keyof ListRow<L> & string)[] } = {
  collaborators: COLLABORATOR_KEYS,
  invitations: INVITATION_KEYS,
  activity: ACTIVITY_KEYS,
};

type Value = string | number | boolean | null;

/**
 * A first page as its list's props carry it: each row the values of its list's keys, in order (null
 * for an empty one, trailing ones left out). A column of texts that repeat down the page (a role,
 * "Expires in 48 hours", who invited) carries each text once, in `texts` under the column's
 * number, and the rows carry its position there.
 */
export type PackedPage = Omit<Json<Page<never>>, "items"> & { rows: Value[][]; texts?: Record<number, string[]> };

/** Packs a page of a list the server read; a value absent from a row (null, false) is null, a date its ISO text as the route sends it. */
export function packPage(list: ListName, page: Page<object>): PackedPage {
  const { items, ...rest } = page;
  const rows = items.map((item) =>
    KEYS[list].map((key): Value => {
      const value = (item as Record<string, unknown>)[key];
      if (value instanceof Date) return value.toJSON();
      return value === false || value === undefined ? null : (value as Value);
    }),
  );
  const texts: Record<number, string[]> = {};
  KEYS[list].forEach((_key, n) => {
    const column = rows.map((values) => values[n]).filter((value) => value !== null);
    const distinct = [...new Set(column)];
    if (distinct.length === column.length || !distinct.every((value) => typeof value === "string")) return;
    texts[n] = distinct as string[];
    for (const values of rows) if (values[n] !== null) values[n] = texts[n].indexOf(values[n] as string);
  });
  for (const values of rows) while (values.length > 0 && values.at(-1) === null) values.pop();
  return Object.keys(texts).length > 0 ? { ...rest, rows, texts } : { ...rest, rows };
}

/** The page of the list again, its rows as objects without their empty fields. */
export function unpackPage<L extends ListName>(list: L, { rows, texts = {}, ...rest }: PackedPage): Json<Page<ListRow<L>>> {
  const keys: readonly string[] = KEYS[list];
  const items = rows.map((values) =>
    Object.fromEntries(
      values.flatMap((value, n) => {
        if (value === null) return [];
        const words = texts[n];
        return [[keys[n], words && typeof value === "number" ? words[value] : value]];
      }),
    ),
  );
  return { ...rest, items } as Json<Page<ListRow<L>>>;
}
