import "server-only";
import * as drizzle from "drizzle-orm";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import type { KeysetList } from "./keyset";
import type { Page } from "./types";

// drizzle's own decoding of a select's rows: its fields in column order, and one row of driver
// values made into the select's result (Dates from timestamps, mapWith, ...). Both are exported
// at runtime and marked internal in its types; the version is pinned in package.json.
type OrderedFields = { path: string[]; field: unknown }[];
const { orderSelectedFields, mapResultRow } = drizzle as unknown as {
  orderSelectedFields: (fields: Record<string, unknown>) => OrderedFields;
  mapResultRow: (columns: OrderedFields, row: unknown[], joinsNotNullableMap: undefined) => unknown;
};

type PageOf<X> = X extends KeysetList<infer T> ? Page<T> : null;
type PagesOf<L> = { -readonly [K in keyof L]: PageOf<L[K]> };

/**
 * The first pages of several lists in one statement: each list's own query, its rows gathered
 * as JSON under positional column names, so one round trip (and, in a transaction, one snapshot)
 * answers them all. Each row is decoded as drizzle decodes that query's rows, and each page is
 * finished as the list finishes a page read alone, so the pages are the same. A null in `lists`
 * (a list not shown) is null in the answer. First pages only: a list with a cursor is read alone.
 */
export async function readFirstPages<const L extends readonly (KeysetList<unknown> | null)[]>(db: Db, lists: L): Promise<PagesOf<L>> {
  const shown = lists.filter((list) => list !== null);
  const plans = shown.map((list) => {
    if (list.cursor !== undefined && list.cursor !== null && list.cursor !== "") throw new Error("readFirstPages reads first pages only");
    const first = list.firstPage();
    return { ...first, fields: orderSelectedFields(first.query._.config.fields) };
  });
  if (plans.length === 0) return lists.map(() => null) as unknown as PagesOf<L>;
  const columns = plans.map(({ query, fields }, n) => {
    const names = sql.raw(fields.map((_, c) => `c${c}`).join(", "));
    return sql`(select coalesce(json_agg(q), '[]'::json) from ${query} q(${names})) as ${sql.identifier(`l${n}`)}`;
  });
  const result = (await db.execute(sql`select ${sql.join(columns, sql`, `)}`)) as unknown as { rows: Record<string, unknown>[] };
  const row = result.rows[0] ?? {};
  const pages = await Promise.all(
    plans.map(({ fields, finish }, n) => {
      const raw = row[`l${n}`];
      const json = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, unknown>[];
      return finish(
        json.map((r) =>
          mapResultRow(
            fields,
            fields.map((_, c) => r[`c${c}`]),
            undefined,
          ),
        ),
      );
    }),
  );
  return lists.map((list) => (list === null ? null : pages[shown.indexOf(list)])) as unknown as PagesOf<L>;
}
