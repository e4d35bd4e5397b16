import type { CSSProperties, ReactNode } from "react";
import { FullTextTitles } from "./full-text-titles";

export interface Column<T> {
  /** The header people see (also the label of the cell when rows stack on a phone). */
  header: string;
  cell: (row: T) => ReactNode;
  /** Header read by screen readers only (e.g. "Actions"). */
  srOnlyHeader?: boolean;
  /** Extra classes of the cell, e.g. `text-right` for actions. */
  className?: string;
  /** The cell's text stays on one line (set once for the column, in globals.css, not on every cell). */
  nowrap?: boolean;
  /** Width class of a column that needs room (e.g. "w-44"); the others share what is left, and their text is cut with an ellipsis. */
  width?: string;
}

interface TableProps<T> {
  label: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  /** Shown in place of the rows when there are none. */
  empty: ReactNode;
}

/**
 * The one table of the console. From 1024 px up it is a fixed-layout table (long text is cut, never
 * widening the page); below, each row stacks its cells under their column names, so a phone or
 * tablet never scrolls sideways. Explicit roles keep the table's
 * semantics when the stacked layout changes its display.
 */
export function Table<T>({ label, columns, rows, rowKey, empty }: TableProps<T>) {
  if (rows.length === 0) {
    return <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-slate-600">{empty}</p>;
  }
  return (
    <FullTextTitles className="mt-3 rounded-lg border border-slate-200 bg-white">
      <table
        role="table"
        aria-label={label}
        className="data-table w-full text-left text-sm lg:table-fixed"
        style={columnNames(columns)}
        data-nowrap={nowrapColumns(columns)}
      >
        <thead role="rowgroup" className="bg-slate-50 text-slate-700 max-lg:sr-only">
          <tr role="row">
            {columns.map((c) => (
              <th role="columnheader" key={c.header} scope="col" className={c.width}>
                {c.srOnlyHeader ? <span className="sr-only">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr role="row" key={rowKey(row)}>
              {columns.map((c) => (
                // Cell styles and the stacked layout's column names live in globals.css (.data-table).
                <td role="cell" key={c.header} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </FullTextTitles>
  );
}

/**
 * The column names the stacked layout shows before each cell, given once per table as custom
 * properties (--c1, --c2, ...; none for a column whose header is for screen readers only) rather
 * than as an attribute on every cell of every row. globals.css reads them.
 */
function columnNames<T>(columns: Column<T>[]): CSSProperties {
  return Object.fromEntries(columns.flatMap((c, n) => (c.srOnlyHeader ? [] : [[`--c${n + 1}`, JSON.stringify(c.header)]])));
}

/** The columns whose cells stay on one line, as "2 4" (globals.css reads `data-nowrap`). */
function nowrapColumns<T>(columns: Column<T>[]): string | undefined {
  return columns.flatMap((c, n) => (c.nowrap ? [n + 1] : [])).join(" ") || undefined;
}

/**
 * An address or name on one line, cut with an ellipsis when too long; the full text is its tooltip
 * (given in the browser by the Table's frame: see full-text-titles.tsx) and what screen readers
 * read. Isolated (`<bdi>`), so a right-to-left name stays in its cell's order.
 */
export function Ellipsis({ text, className = "", id }: { text: string; className?: string; id?: string }) {
  return (
    <span className={className ? `ellipsis ${className}` : "ellipsis"} id={id}>
      <bdi>{text}</bdi>
    </span>
  );
}
