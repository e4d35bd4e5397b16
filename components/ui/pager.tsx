"use client";

import Link from "next/link";
import { Button } from "./button";

interface PagerProps {
  label: string;
  page: number;
  pageSize: number;
  total: number;
  /** The list was counted only up to `total` and holds more: shown as "200+", and Next stays. */
  capped?: boolean;
  /** Either change the page in place (client lists)… */
  onPage?: (page: number) => void;
  /** …or link to it, keeping these other query parameters (server-rendered lists). */
  linkQuery?: Record<string, string>;
}

/** The one pager: previous / next for lists of 50, as buttons or as links. */
export function Pager({ label, page, pageSize, total, capped = false, onPage, linkQuery }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1 && !capped) return null;
  const more = capped ? "+" : "";
  const hrefFor = (n: number) => `?${new URLSearchParams({ ...linkQuery, page: String(n) }).toString()}`;
  const step = (to: number, text: string, enabled: boolean) =>
    linkQuery ? (
      enabled ? (
        <Link href={hrefFor(to)} className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-medium text-slate-800 hover:bg-slate-100">
          {text}
        </Link>
      ) : (
        <span />
      )
    ) : (
      <Button variant="secondary" size="sm" disabled={!enabled} onClick={() => onPage?.(to)}>
        {text}
      </Button>
    );
  return (
    <nav aria-label={`${label} pages`} className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
      {step(page - 1, "Previous page", page > 1)}
      <span aria-live="polite">
        Page {page} of {pages}
        {more} ({total}
        {more} in all)
      </span>
      {step(page + 1, "Next page", capped || page < pages)}
    </nav>
  );
}
