import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { CursorRejected, Pager } from "@/components/ui/pager";
import { Sentence } from "@/components/ui/sentence";
import { listOrganizationActivity } from "@/lib/membership";
import { linkedPager, readFromCursor } from "@/lib/server/cursor-page";
import { orNotFound } from "@/lib/server/or-not-found";
import { getDb } from "@/lib/server/database";
import { formatDateTimeUtc } from "@/lib/time";
import { describeActivity } from "@/components/sentences";
import { ExportActivityForm } from "./_components/export-activity-form";

export const metadata: Metadata = { title: "Organization activity" };

/** Every membership change in the organization, newest first; Organization Owners only. */
export default async function OrganizationActivityPage({
  params,
  searchParams,
}: {
  params: Promise<{ orgId: string }>;
  searchParams: Promise<{ cursor?: string }>;
}) {
  const { orgId } = await params;
  const { cursor } = await searchParams;
  const actor = await requireActor();
  const { page: activity, rejected } = await orNotFound(
    readFromCursor((c) => listOrganizationActivity(getDb(), actor, { orgId, cursor: c }), cursor),
  );
  return (
    <>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/orgs/${orgId}/projects`} className="underline">
          Projects
        </Link>{" "}
        / <span aria-current="page">Activity</span>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">Organization activity</h1>
      {/* The page is the Owners' alone (org.activity.view), so is the export; its route checks again. */}
      <ExportActivityForm orgId={orgId} today={new Date().toISOString().slice(0, 10)} />
      {rejected && <CursorRejected />}
      {activity.items.length === 0 ? (
        <p className="mt-4 text-slate-600">No activity yet.</p>
      ) : (
        <ol aria-label="Activity" className="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {activity.items.map((a) => (
            <li key={a.id} className="flex flex-wrap justify-between gap-2 px-3 py-2 text-sm">
              <span className="min-w-0 max-w-full">
                <Sentence text={describeActivity(a)} />
                {a.projectName && <span className="text-slate-600"> · {a.projectName}</span>}
              </span>
              <time dateTime={a.createdAt.toISOString()} className="text-slate-600">
                {formatDateTimeUtc(a.createdAt)}
              </time>
            </li>
          ))}
        </ol>
      )}
      <Pager label="Activity" {...linkedPager(activity, {}, "cursor")} />
    </>
  );
}
