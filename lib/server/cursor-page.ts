import "server-only";
import type { Page } from "@/lib/membership/types";
import { isDomainError } from "@/lib/membership/errors";

/**
 * A server-rendered list read from the cursor in the page's address. A cursor this server did not
 * make for this list (damaged, edited, from another list) shows the first page with `rejected`
 * set, so the page can say so; other refusals pass through unchanged.
 */
export async function readFromCursor<T>(
  read: (cursor: string | undefined) => Promise<T>,
  cursor: unknown,
): Promise<{ page: T; rejected: boolean }> {
  const given = typeof cursor === "string" && cursor !== "" ? cursor : undefined;
  if (given === undefined) return { page: await read(undefined), rejected: false };
  try {
    return { page: await read(given), rejected: false };
  } catch (err) {
    if (isDomainError(err) && err.code === "INVALID_CURSOR") return { page: await read(undefined), rejected: true };
    throw err;
  }
}

/** The address of another page of a server-rendered list: the same query with this list's cursor replaced. */
export function cursorHref(query: Record<string, string | undefined>, param: string, cursor: string | null): string | undefined {
  if (cursor === null) return undefined;
  const next = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v && k !== param) next.set(k, v);
  next.set(param, cursor);
  return `?${next.toString()}`;
}

/** A server-rendered list's pager, read off its page: the position words and links to the pages beside it. */
export function linkedPager(page: Page<unknown>, query: Record<string, string | undefined>, param: string) {
  return {
    start: page.start,
    shown: page.items.length,
    total: page.total,
    capped: page.capped === true,
    hasPrevious: page.prev !== null,
    hasNext: page.next !== null,
    previousHref: cursorHref(query, param, page.prev),
    nextHref: cursorHref(query, param, page.next),
  };
}
