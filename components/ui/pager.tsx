"use client";

import Link from "next/link";
import { Button } from "./button";
import { number } from "./total-words";

interface PagerProps {
  label: string;
  /** 0-based position of the first row shown, and how many are shown. */
  start: number;
  shown: number;
  total: number;
  /** The list was counted only up to `total` and holds more: shown as "1,000+". */
  capped?: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  /** Either move in place (client lists)… */
  onPrevious?: () => void;
  onNext?: () => void;
  /** …or link to the page (server-rendered lists: the cursor lives in the address). */
  previousHref?: string;
  nextHref?: string;
}

/** The one pager: Previous / Next over cursors, "51–100 of 1,000+", as buttons or as links. */
export function Pager({
  label,
  start,
  shown,
  total,
  capped = false,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  previousHref,
  nextHref,
}: PagerProps) {
  if (!hasPrevious && !hasNext) return null;
  const last = start + shown;
  // A count taken earlier (or capped) never reads smaller than what has been paged through.
  const of = `${number(Math.max(total, last))}${capped || (hasNext && last >= total) ? "+" : ""}`;
  const step = (text: string, enabled: boolean, href: string | undefined, onClick: (() => void) | undefined) =>
    href !== undefined || (onClick === undefined && !enabled) ? (
      enabled && href ? (
        <Link
          href={href}
          className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-medium text-slate-800 hover:bg-slate-100"
        >
          {text}
        </Link>
      ) : (
        <span />
      )
    ) : (
      <Button variant="secondary" size="sm" disabled={!enabled} onClick={() => onClick?.()}>
        {text}
      </Button>
    );
  return (
    <nav aria-label={`${label} pages`} className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
      {step("Previous page", hasPrevious, previousHref, onPrevious)}
      <span aria-live="polite">{shown === 0 ? `None of ${of}` : `${number(start + 1)}–${number(last)} of ${of}`}</span>
      {step("Next page", hasNext, nextHref, onNext)}
    </nav>
  );
}

/** Said above a server-rendered list whose address held a cursor this server did not make: the first page is shown instead. */
export function CursorRejected() {
  return (
    <p role="status" className="mt-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      That link to a place in this list is not valid, so the list starts from its first page.
    </p>
  );
}
