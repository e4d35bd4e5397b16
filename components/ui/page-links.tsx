import Link from "next/link";

/** Previous / next links for server-rendered lists paged with ?page=N. */
export function PageLinks({ label, page, pageSize, total }: { label: string; page: number; pageSize: number; total: number }) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={`${label} pages`} className="mt-3 flex justify-between text-sm">
      {page > 1 ? <Link href={`?page=${page - 1}`} className="underline">Previous page</Link> : <span />}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link href={`?page=${page + 1}`} className="underline">Next page</Link> : <span />}
    </nav>
  );
}
