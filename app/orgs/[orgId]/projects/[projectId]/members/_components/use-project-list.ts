"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { Page } from "@/lib/membership/types";
import { fetchList, listKey, type Json, type ListName, type ListRow } from "./api";

/** One paged project list: the server-rendered first page, then TanStack Query. */
export function useProjectList<L extends ListName>(orgId: string, projectId: string, list: L, initial: Json<Page<ListRow<L>>> | null) {
  const [page, setPage] = useState(1);
  const query = useQuery({
    queryKey: listKey(projectId, list, page),
    queryFn: () => fetchList(orgId, projectId, list, page),
    initialData: page === 1 && initial ? initial : undefined,
    placeholderData: keepPreviousData,
    enabled: initial !== null,
  });
  return { ...query, page, setPage };
}
