"use client";

import { useRef } from "react";
import { Pager } from "@/components/ui/pager";
import { Sentence } from "@/components/ui/sentence";
import { useFullTextTitles } from "@/components/ui/full-text-titles";
import { useNow } from "@/components/ui/use-now";
import { describeActivity } from "@/components/sentences";
import { formatDateTimeUtc, timeAgo } from "@/lib/time";
import { ListError } from "@/components/ui/list-error";
import type { PackedPage } from "./list-rows";
import { useProjectList } from "./use-project-list";

export function ActivityList({
  orgId,
  projectId,
  initial,
  renderedAt,
}: {
  orgId: string;
  projectId: string;
  /** The first page, as the server read it (see list-rows.ts). */
  initial: PackedPage;
  renderedAt: number;
}) {
  const { data, pager, error } = useProjectList(orgId, projectId, "activity", initial, { renderedAt });
  // The server's moment for the first render (so both renders say the same), then the browser's clock.
  const now = useNow(renderedAt);
  const rows = data?.items ?? [];
  // On the section, which is there whether the list has rows or not.
  const section = useRef<HTMLElement>(null);
  useFullTextTitles(section);
  return (
    <section ref={section} aria-labelledby="activity-heading" className="mt-10">
      <h2 id="activity-heading" className="text-lg font-semibold">
        Activity
      </h2>
      <ListError error={error} />
      {rows.length === 0 ? (
        <p className="mt-3 text-slate-600">No activity yet.</p>
      ) : (
        <ol aria-label="Activity" className="activity-list mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {rows.map((a) => (
            <li key={a.id}>
              <span>
                <Sentence text={describeActivity(a)} titlesInBrowser />
              </span>
              <time dateTime={a.createdAt} title={formatDateTimeUtc(a.createdAt)}>
                {timeAgo(a.createdAt, now)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {pager && <Pager label="Activity" {...pager} />}
    </section>
  );
}
