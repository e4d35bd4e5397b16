"use client";

import { Pager } from "@/components/ui/pager";
import type { Page } from "@/lib/membership/types";
import type { ActivityRow, Json } from "./api";
import { describeActivity, timeAgo } from "./format";
import { ListError } from "./list-error";
import { useProjectList } from "./use-project-list";

export function ActivityList({ orgId, projectId, initial }: { orgId: string; projectId: string; initial: Json<Page<ActivityRow>> }) {
  const { data, page, setPage, error } = useProjectList(orgId, projectId, "activity", initial);
  const rows = data?.items ?? [];
  return (
    <section aria-labelledby="activity-heading" className="mt-10">
      <h2 id="activity-heading" className="text-lg font-semibold">
        Activity
      </h2>
      <ListError error={error} />
      {rows.length === 0 ? (
        <p className="mt-3 text-slate-600">No activity yet.</p>
      ) : (
        <ol aria-label="Activity" className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {rows.map((a) => (
            <li key={a.id} className="flex flex-wrap justify-between gap-2 px-3 py-2 text-sm">
              <span className="break-all">{describeActivity(a)}</span>
              <time dateTime={a.createdAt} title={a.createdAt} className="text-slate-600">
                {timeAgo(a.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
      {data && <Pager label="Activity" page={page} pageSize={data.pageSize} total={data.total} onPage={setPage} />}
    </section>
  );
}
