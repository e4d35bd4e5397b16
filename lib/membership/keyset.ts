import "server-only";
import { count, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { PgSelect, PgTable } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import { DomainError } from "./errors";
import type { Page } from "./types";

/**
 * Keyset (cursor) paging: a page is "the rows after (or before) this sort key", answered by an
 * index that serves the list's order, so page 1,000 costs what page 1 costs.
 *
 * A cursor is opaque to clients: base64url of the JSON `{ l, d, k, i }` where `l` names the list,
 * `d` is "a" (the rows after the key) or "b" (the rows before it), `k` the sort key of the row it
 * points at as exact text (timestamps as Postgres prints them, microseconds included, never a JS
 * Date) and `i` the 0-based position of the page's first row as counted while paging (words only:
 * "51–100"). A cursor only positions a list; every query stays scoped by its organization and
 * project, so a forged one can never show another tenant's rows.
 */

export type ListKind = "collaborators" | "invitations" | "org-invitations" | "activity" | "org-activity" | "org-members";

interface Cursor {
  l: ListKind;
  d: "a" | "b";
  k: string[];
  i: number;
}

/** The longest cursor accepted; a real one is well under 500 characters. */
const CURSOR_MAX_LENGTH = 2_000;
const POSITION_MAX = 1_000_000_000;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

export const invalidCursor = () =>
  new DomainError(
    "INVALID_CURSOR",
    "This link to a place in the list is not valid (it may be from another list or damaged). Start again from the first page.",
  );

/** One column of a list's sort key: how to compare it in SQL and what a valid value looks like. */
export interface KeyPart {
  expr: SQL;
  /** The Postgres type the cursor's text is cast to (an enum, text, uuid, timestamptz). */
  type: string;
  valid: (value: string) => boolean;
}

/** Reads a cursor from the client: undefined/"" is the first page; anything else must be a well-formed cursor of this list. */
export function decodeCursor(raw: unknown, list: ListKind, keys: readonly KeyPart[]): Cursor | null {
  if (raw === undefined || raw === null || raw === "") return null;
  if (typeof raw !== "string" || raw.length > CURSOR_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(raw)) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const c = value as Partial<Cursor> | null;
  if (
    !c ||
    typeof c !== "object" ||
    c.l !== list ||
    (c.d !== "a" && c.d !== "b") ||
    !Number.isInteger(c.i) ||
    (c.i as number) < 0 ||
    (c.i as number) > POSITION_MAX ||
    !Array.isArray(c.k) ||
    c.k.length !== keys.length ||
    !c.k.every((v, n) => typeof v === "string" && v.length <= 1_000 && !v.includes("\u0000") && keys[n]!.valid(v))
  ) {
    throw invalidCursor();
  }
  return { l: c.l, d: c.d, k: c.k as string[], i: c.i as number };
}

/**
 * A timestamptz as Postgres prints it ("2026-11-30 11:15:21.123456+00"), with a real calendar date
 * and an offset Postgres accepts (at most 15:59:59 either way): anything this lets through must
 * cast, or a forged cursor would fail in the database instead of being refused.
 */
export function isPgTimestamp(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2})(?::(\d{2}))?)?$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s, oh, om, os] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // setUTCFullYear, unlike Date.UTC, takes years below 100 as they are.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  const realDate = y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return realDate && h < 24 && mi < 60 && s < 60 && oh <= 15 && om < 60 && os < 60;
}

export const oneOf = (values: readonly string[]) => (v: string) => values.includes(v);

export interface KeysetRequest<R> {
  list: ListKind;
  cursor: unknown;
  size: number;
  /** The list's order; every part of the key sorts the same way, so a row comparison serves it. */
  direction: "asc" | "desc";
  keys: readonly KeyPart[];
  /** The query of up to `limit` rows beyond `after` (undefined: from the start) in `order`. */
  fetch: (after: SQL | undefined, order: SQL[], limit: number) => RowsQuery<R>;
  /** The row's sort key as exact text, in the order of `keys`. */
  keyOf: (row: R) => string[];
}

/**
 * A drizzle select not yet run: awaited, it gives its rows; it can also be written into another
 * statement (`readFirstPages`), which decodes the rows by its fields.
 */
export type RowsQuery<R> = PromiseLike<R[]> & SQLWrapper & { readonly _: { readonly config: { fields: Record<string, unknown> } } };

/**
 * A list read by keyset, its row type hidden: a page read alone (`read`: the first, or the one
 * its cursor points at), or its first page as a query to run inside a larger statement and how
 * the rows it gives become the page (`firstPage`, for `readFirstPages`).
 */
export interface KeysetList<T> {
  cursor: unknown;
  read: () => Promise<Page<T>>;
  firstPage: () => { query: RowsQuery<unknown>; finish: (rows: unknown[]) => Promise<Page<T>> };
}

/** A keyset list from its request and what the list shows of a page it fetched (`finish`). */
export function keysetList<R, T>(req: KeysetRequest<R> & { finish: (page: KeysetPage<R>) => Promise<Page<T>> }): KeysetList<T> {
  return {
    cursor: req.cursor,
    read: async () => req.finish(await keysetPage(req)),
    firstPage: () => {
      const first = firstPageOf(req);
      return { query: first.query, finish: (rows) => req.finish(first.page(rows as R[])) };
    },
  };
}

export interface KeysetPage<R> {
  rows: R[];
  start: number;
  next: string | null;
  prev: string | null;
}

/** One page of a list by its sort key: at most `size` rows plus one to learn whether more follow. */
export async function keysetPage<R>(req: KeysetRequest<R>): Promise<KeysetPage<R>> {
  const cursor = decodeCursor(req.cursor, req.list, req.keys);
  const forward = req.direction === "asc" ? "asc" : "desc";
  const backward = req.direction === "asc" ? "desc" : "asc";
  const order = (dir: "asc" | "desc") => orderOf(req.keys, dir);
  const beyond = (c: Cursor, dir: "asc" | "desc") => {
    const columns = sql.join(
      req.keys.map((k) => k.expr),
      sql`, `,
    );
    const values = sql.join(
      req.keys.map((k, n) => sql`cast(${c.k[n]} as ${sql.raw(k.type)})`),
      sql`, `,
    );
    return sql`(${columns}) ${sql.raw(dir === "asc" ? ">" : "<")} (${values})`;
  };
  const cursorAt = (d: "a" | "b", row: R, i: number) => encodeCursor({ l: req.list, d, k: req.keyOf(row), i });

  const firstPage = async (): Promise<KeysetPage<R>> => {
    const first = firstPageOf(req);
    return first.page(await first.query);
  };

  if (!cursor) return firstPage();
  if (cursor.d === "a") {
    const rows = await req.fetch(beyond(cursor, forward), order(forward), req.size + 1);
    const shown = rows.slice(0, req.size);
    const start = cursor.i;
    return {
      rows: shown,
      start,
      // Back from here means "the rows before the first one shown" (or before the cursor's row when nothing follows it any more).
      prev: shown.length ? cursorAt("b", shown[0]!, start) : encodeCursor({ ...cursor, d: "b" }),
      next: rows.length > req.size ? cursorAt("a", shown.at(-1)!, start + shown.length) : null,
    };
  }
  const before = await req.fetch(beyond(cursor, backward), order(backward), req.size + 1);
  // Fewer than a page before it: this is the start of the list, shown as a whole first page.
  if (before.length <= req.size) return firstPage();
  const shown = before.slice(0, req.size).reverse();
  const start = Math.max(1, cursor.i - shown.length);
  return { rows: shown, start, prev: cursorAt("b", shown[0]!, start), next: cursorAt("a", shown.at(-1)!, start + shown.length) };
}

/** A list's sort key as an ORDER BY, every part the same way. */
const orderOf = (keys: readonly KeyPart[], dir: "asc" | "desc") => keys.map((k) => sql`${k.expr} ${sql.raw(dir)}`);

/** The first page of a list, as a query not yet run and the page its rows make. */
export function firstPageOf<R>(req: KeysetRequest<R>): { query: RowsQuery<R>; page: (rows: R[]) => KeysetPage<R> } {
  return {
    query: req.fetch(undefined, orderOf(req.keys, req.direction), req.size + 1),
    page: (rows) => {
      const shown = rows.slice(0, req.size);
      const next = rows.length > req.size ? encodeCursor({ l: req.list, d: "a", k: req.keyOf(shown.at(-1)!), i: shown.length }) : null;
      return { rows: shown, start: 0, prev: null, next };
    },
  };
}

/** A count taken only up to `cap` rows (the subquery must already be limited to cap + 1): exact below, "cap+" above. */
export function cappedTotal(n: number, cap: number): { total: number; capped?: true } {
  return n > cap ? { total: cap, capped: true } : { total: n };
}

/**
 * `countUpTo` as a column of the page's own statement (an uncorrelated scalar subquery, which
 * Postgres runs once): a page's rows and their total in one round trip.
 */
/** `select 1 from table [inner join …] where …`: the rows a list counts (countUpTo, countUpToColumn). */
export function rowsToCount(db: Db, table: PgTable, where: SQL | undefined, join?: { table: PgTable; on: SQL | undefined }): PgSelect {
  const rows = db
    .select({ one: sql`1` })
    .from(table)
    .$dynamic();
  return (join ? rows.innerJoin(join.table, join.on) : rows).where(where);
}

export function countUpToColumn(rows: PgSelect, cap: number): SQL<number> {
  return sql<number>`(select count(*)::int from ${rows.limit(cap + 1)} up_to)`.mapWith(Number);
}

/**
 * The total of a page whose rows carry it (`countUpToColumn` when `cap` is given, else an exact
 * count). A page without rows has nothing to carry it: a first page is then empty (total 0, the
 * count's conditions being the page's), and a later one asks `count` on its own.
 */
export async function totalOfPage(
  rows: readonly { total: number }[],
  cursor: unknown,
  cap: number | null,
  count: () => Promise<{ total: number; capped?: true }>,
): Promise<{ total: number; capped?: true }> {
  const first = rows[0];
  if (first) return cap === null ? { total: first.total } : cappedTotal(first.total, cap);
  return cursor ? count() : { total: 0 };
}

/** How many rows a query gives, read up to one row past `cap` (so a count never scans the whole list), as `cappedTotal` says it. */
export async function countUpTo(db: Db, rows: PgSelect, cap: number): Promise<{ total: number; capped?: true }> {
  const [row] = await db.select({ n: count() }).from(rows.limit(cap + 1).as("up_to"));
  return cappedTotal(row?.n ?? 0, cap);
}
