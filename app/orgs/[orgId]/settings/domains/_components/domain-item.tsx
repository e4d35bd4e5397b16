"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import type { DomainSummary } from "@/lib/membership/domains/domain-rules";
import { formatDateTimeUtc } from "@/lib/time";
import { checkDomainAction, removeDomainAction } from "../actions";
import { CopyValueButton } from "./copy-value-button";

const STATUS_CLASS: Record<DomainSummary["status"], string> = {
  pending: "bg-amber-50 text-amber-900 border-amber-300",
  verified: "bg-emerald-50 text-emerald-900 border-emerald-300",
  failed: "bg-red-50 text-red-900 border-red-300",
};

/** What the status says in words (docs/screens.md): "Waiting for DNS", "Verified", "Failed: …". */
export function statusWords(d: Pick<DomainSummary, "status" | "failure">): string {
  if (d.status === "verified") return "Verified";
  if (d.status === "failed") return `Failed: ${d.failure ?? "the TXT record was not found."}`;
  return "Waiting for DNS";
}

/** One domain: its status, the TXT record to add (with copy buttons), "Check now" and "Remove". */
export function DomainItem({ orgId, domain: d }: { orgId: string; domain: DomainSummary }) {
  const check = useAction(checkDomainAction, {
    onSuccess: (after) => {
      if (after.status === "verified") toast.success(`${after.domain} is verified`);
      else toast.error(after.failure ?? `${after.domain} is not verified yet`);
    },
  });
  const remove = useAction(removeDomainAction, { success: (r) => `${r.removed} was removed` });
  const headingId = `domain-${d.id}`;
  // The last check's problem, when the status alone does not say it.
  const note =
    d.failure && d.status !== "failed"
      ? d.status === "verified"
        ? `The last check could not finish: ${d.failure} It is tried again soon; the domain stays verified meanwhile.`
        : `Last check: ${d.failure}`
      : null;
  return (
    <li aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={headingId} className="break-all font-mono text-base font-semibold">
          {d.domain}
        </h3>
        <span data-testid="domain-status" className={`rounded-full border px-2 py-0.5 text-sm ${STATUS_CLASS[d.status]}`}>
          {d.status === "failed" ? "Failed" : statusWords(d)}
        </span>
      </div>
      {d.status === "failed" && (
        <p className="mt-2 break-words text-sm text-red-800" role="note">
          {statusWords(d)}
        </p>
      )}
      {note && <p className="mt-2 break-words text-sm text-slate-700">{note}</p>}
      <div className="mt-3 text-sm">
        <p className="font-medium text-slate-800">
          {d.status === "verified" ? "Keep this TXT record in place:" : "Add this TXT record at your DNS provider:"}
        </p>
        <dl className="mt-2 grid grid-cols-1 gap-x-3 gap-y-2 sm:grid-cols-[auto_1fr_auto] sm:items-center">
          <dt className="text-slate-600">Type</dt>
          <dd className="font-mono sm:col-span-2">TXT</dd>
          <dt className="text-slate-600">Name</dt>
          <dd className="min-w-0 break-all font-mono">{d.record.name}</dd>
          <dd>
            <CopyValueButton value={d.record.name} label={`Copy the record name of ${d.domain}`} />
          </dd>
          <dt className="text-slate-600">Value</dt>
          <dd data-testid="txt-value" className="min-w-0 break-all font-mono">
            {d.record.value}
          </dd>
          <dd>
            <CopyValueButton value={d.record.value} label={`Copy the record value of ${d.domain}`} />
          </dd>
        </dl>
      </div>
      <p className="mt-3 text-sm text-slate-600">
        {d.verifiedAt && d.status === "verified" ? `Verified ${formatDateTimeUtc(d.verifiedAt)}. ` : ""}
        {d.lastCheckedAt ? `Last checked ${formatDateTimeUtc(d.lastCheckedAt)}.` : "Not checked yet."}
        {d.nextCheckAt ? ` Next automatic check ${formatDateTimeUtc(d.nextCheckAt)}.` : ""}
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button size="sm" variant="secondary" pending={check.isPending} onClick={() => void check.run({ orgId, domainId: d.id })}>
          Check now
        </Button>
        <ConfirmDialog
          trigger={
            <Button variant="ghost" size="sm" aria-label={`Remove ${d.domain}`}>
              Remove
            </Button>
          }
          title={`Remove ${d.domain}?`}
          description={
            <p>
              The organization no longer holds this domain: it is not trusted for single sign-on, and another organization may verify it. To
              use it again, add it and its new TXT record again.
            </p>
          }
          confirmLabel="Remove"
          destructive
          onConfirm={async () => (await remove.run({ orgId, domainId: d.id })).ok}
        />
      </div>
    </li>
  );
}
