"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ListFilter } from "@/lib/membership/list-filter";
import type { Page } from "@/lib/membership/types";
import { fetchList, listKey, type Json, type ListName, type ListRow } from "./api";

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
export function useProjectList<L extends ListName>(orgId: string, projectId: string, list: L, initial: Json<Page<ListRow<L>>> | null, options: Options<L>) {
  const filter = options.filter ?? {};
  const filterKey = `${filter.q ?? ""}\u0000${filter.role ?? ""}`;
  const [paging, setPaging] = useState({ filterKey, page: 1 });
  // A new search starts on its first page.
  const page = paging.filterKey === filterKey ? paging.page : 1;
  const seeded = page === 1 && initial !== null && sameFilter(filter, options.initialFilter);
  const query = useQuery({
    queryKey: listKey(projectId, list, page, filter),
    queryFn: () => fetchList(orgId, projectId, list, page, filter),
    initialData: seeded ? initial : undefined,
    initialDataUpdatedAt: seeded ? options.renderedAt : undefined,
    placeholderData: keepPreviousData,
    enabled: initial !== null,
    refetchInterval: options.refreshEveryMs ? (q) => options.refreshEveryMs!(q.state.data) : false,
  });
  return { ...query, page, setPage: (next: number) => setPaging({ filterKey, page: next }) };
}
