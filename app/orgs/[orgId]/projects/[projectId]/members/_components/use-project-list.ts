"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { ListFilter } from "@/lib/membership/list-filter";
import type { Page } from "@/lib/membership/types";
import { fetchList, listKey, type Json, type ListName, type ListRow } from "./api";
import { unpackPage, type PackedPage } from "./list-rows";

interface Options<L extends ListName> {
  /** The filter of the server-rendered first page: its rows seed the cache only for that filter. */
  initialFilter?: ListFilter;
  filter?: ListFilter;
  /** When the server read `initial` (ms): the cache counts its age from there. */
  renderedAt: number;
  /** Keep refreshing while this says so (e.g. while an email is still queued). */
  refreshEveryMs?: (data: Json<Page<ListRow<L>>> | undefined) => number | false;
}

const sameFilter = (a: ListFilter = {}, b: ListFilter = {}) => (a.q ?? "") === (b.q ?? "") && (a.role ?? "") === (b.role ?? "");

/**
 * One paged project list: the server-rendered first page, then TanStack Query, the page's one
 * refresh mechanism (a change invalidates ["project", projectId]; a list may also poll).
 */
export function useProjectList<L extends ListName>(
  orgId: string,
  projectId: string,
  list: L,
  packed: PackedPage | null,
  options: Options<L>,
) {
  const initial = useMemo(() => packed && unpackPage(list, packed), [list, packed]);
  const filter = options.filter ?? {};
  const filterKey = `${filter.q ?? ""}\u0000${filter.role ?? ""}`;
  // The cursors of the pages walked through, the first page's being "": Next pushes the page's
  // `next`, Previous pops, so going back shows exactly the rows seen before (cached).
  const [paging, setPaging] = useState<{ filterKey: string; cursors: string[] }>({ filterKey, cursors: [""] });
  // A new search starts on its first page.
  const cursors = paging.filterKey === filterKey ? paging.cursors : [""];
  const cursor = cursors.at(-1) ?? "";
  const seeded = cursor === "" && initial !== null && sameFilter(filter, options.initialFilter);
  const query = useQuery({
    queryKey: listKey(projectId, list, cursor, filter),
    queryFn: () => fetchList(orgId, projectId, list, cursor, filter),
    initialData: seeded ? initial : undefined,
    initialDataUpdatedAt: seeded ? options.renderedAt : undefined,
    placeholderData: keepPreviousData,
    enabled: initial !== null,
    refetchInterval: options.refreshEveryMs ? (q) => options.refreshEveryMs!(q.state.data) : false,
  });
  const data = query.data;
  // While the next page loads, the previous one stays shown (keepPreviousData): its `next` is the
  // cursor just pushed, so Next waits for the new page instead of pushing it twice. The buttons
  // stay enabled meanwhile, so keyboard focus stays on them.
  const settled = !query.isPlaceholderData;
  const pager = data
    ? {
        start: data.start,
        shown: data.items.length,
        total: data.total,
        capped: data.capped === true,
        hasPrevious: cursors.length > 1,
        hasNext: data.next !== null,
        onPrevious: () => setPaging({ filterKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
        onNext: () => {
          if (settled && data.next !== null) setPaging({ filterKey, cursors: [...cursors, data.next] });
        },
      }
    : null;
  return { ...query, cursor, pager };
}
