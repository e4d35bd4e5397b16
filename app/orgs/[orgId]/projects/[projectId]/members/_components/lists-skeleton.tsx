"use client";

/**
 * What stands in for the lists while they are read: each list's heading and grey rows where its
 * rows will be, marked busy for screen readers. Only the lists (below the header) are replaced,
 * so nothing already on screen moves when they arrive. A client component although it has no
 * state: the page's payload then names it instead of spelling out its markup a second time.
 */
export function ListsSkeleton({ invitations, activity }: { invitations: boolean; activity: boolean }) {
  return (
    <>
      <SkeletonSection id="collaborators-loading" title="Collaborators" className="mt-8" rows={3} search />
      {invitations && <SkeletonSection id="invitations-loading" title="Pending invitations" className="mt-10" rows={3} search />}
      {activity && <SkeletonSection id="activity-loading" title="Activity" className="mt-10" rows={3} />}
    </>
  );
}

function SkeletonSection({
  id,
  title,
  className,
  rows,
  search = false,
}: {
  id: string;
  title: string;
  className: string;
  rows: number;
  search?: boolean;
}) {
  return (
    <section aria-labelledby={id} aria-busy="true" className={className}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      <p className="sr-only">Loading {title.toLowerCase()}…</p>
      <div aria-hidden="true">
        {search && <div className="mt-3 h-[38px] rounded-md bg-slate-100" />}
        <div className="skeleton-lines">
          {Array.from({ length: rows }, (_, n) => (
            <div key={n} />
          ))}
        </div>
      </div>
    </section>
  );
}
