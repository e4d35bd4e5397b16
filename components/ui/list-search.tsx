"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useId, useState } from "react";
import { SEARCH_MAX_LENGTH, type ListFilter } from "@/lib/membership/list-filter";
import { inputClass } from "./field";
import { useScriptReady } from "./use-script-ready";

/**
 * A list's search and role filter, kept in the page's address (`<prefix>q`, `<prefix>role`) so a
 * filtered view can be shared and survives a reload; the list reads it through the same hook.
 * A server-rendered list names its `cursor` parameter: a new filter drops it and asks the server
 * for the page again.
 */
export function useUrlFilter(prefix = "", serverCursor?: string): { filter: ListFilter; setFilter: (next: ListFilter) => void } {
  const params = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const filter = { q: params.get(`${prefix}q`) ?? undefined, role: params.get(`${prefix}role`) ?? undefined };
  const setFilter = (next: ListFilter) => {
    const query = new URLSearchParams(params.toString());
    for (const [name, value] of [
      [`${prefix}q`, next.q?.trim()],
      [`${prefix}role`, next.role],
    ] as const) {
      if (value) query.set(name, value);
      else query.delete(name);
    }
    const search = query.toString();
    if (serverCursor !== undefined) {
      query.delete(serverCursor);
      const fresh = query.toString();
      return router.replace(fresh ? `${pathname}?${fresh}` : pathname, { scroll: false });
    }
    // The address changes without a server round trip (Next keeps useSearchParams in step with
    // the History API); the list's query key changes with it and TanStack Query fetches.
    window.history.replaceState(null, "", search ? `${pathname}?${search}` : pathname);
  };
  return { filter, setFilter };
}

interface ListSearchProps {
  /** What is searched, in the labels: "collaborators", "pending invitations". */
  what: string;
  /** The search landmark's name, "Search <what>" unless given; null leaves it unnamed (the page's only other search is named). */
  formLabel?: string | null;
  /** Says how the text matches: the project's lists match the start, Members anywhere. */
  placeholder?: string;
  roles: readonly { value: string; label: string }[];
  filter: ListFilter;
  onFilter: (next: ListFilter) => void;
}

/** Search field, role select and a Search button; the role applies at once, the text on submit. */
export function ListSearch({ what, formLabel, placeholder = "Name or email starts with…", roles, filter, onFilter }: ListSearchProps) {
  const [text, setText] = useState(filter.q ?? "");
  const ids = { q: useId(), role: useId() };
  // Until hydration the form has no handler: the browser would reload the page unfiltered.
  const ready = useScriptReady();
  return (
    <form
      role="search"
      aria-label={formLabel === undefined ? `Search ${what}` : (formLabel ?? undefined)}
      className="mt-3 flex flex-wrap items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        onFilter({ ...filter, q: text });
      }}
    >
      <div className="min-w-0 flex-1 basis-48">
        <label htmlFor={ids.q} className="sr-only">
          Search {what}
        </label>
        <input
          id={ids.q}
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={placeholder}
          maxLength={SEARCH_MAX_LENGTH}
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor={ids.role} className="sr-only">
          Filter {what} by role
        </label>
        <select
          id={ids.role}
          value={filter.role ?? ""}
          disabled={!ready}
          onChange={(e) => onFilter({ q: text, role: e.target.value || undefined })}
          className={inputClass}
        >
          <option value="">All roles</option>
          {roles.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="submit"
        disabled={!ready}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium hover:bg-slate-100"
      >
        Search
      </button>
    </form>
  );
}
