"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { ACTIVITY_EXPORT_MAX_DAYS, type ActivityExportFormat } from "@/lib/membership/schemas";

const DAY_MS = 24 * 60 * 60 * 1000;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** What is wrong with the chosen days, or null: the server checks the same (lib/membership/schemas.ts). */
function rangeProblem(from: string, to: string): string | null {
  if (!from || !to) return "Choose both days.";
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (!Number.isFinite(days)) return "Choose both days.";
  if (days < 1) return "The last day must not be before the first.";
  if (days > ACTIVITY_EXPORT_MAX_DAYS) return `One export covers at most ${ACTIVITY_EXPORT_MAX_DAYS} days: choose a shorter range.`;
  return null;
}

/**
 * The audit export of the organization's activity (Owners: the page is theirs alone): the days
 * from the first through the last (UTC) in CSV or NDJSON. The browser downloads the file as the
 * server streams it; the API takes `to` as excluded, so the last day chosen is sent as the next one.
 */
export function ExportActivityForm({ orgId, today }: { orgId: string; today: string }) {
  const ids = { from: useId(), to: useId(), format: useId(), problem: useId() };
  const [from, setFrom] = useState(new Date(Date.parse(`${today}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10));
  const [to, setTo] = useState(today);
  const [format, setFormat] = useState<ActivityExportFormat>("csv");
  const problem = rangeProblem(from, to);
  const href = `/orgs/${orgId}/activity/export?${new URLSearchParams({ from, to: problem ? to : nextDay(to), format })}`;
  return (
    <section aria-labelledby={`${ids.from}-heading`} className="mt-4 rounded-lg border border-slate-200 bg-white p-3">
      <h2 id={`${ids.from}-heading`} className="text-base font-semibold">
        Export activity
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        Every record from the start of the first day through the end of the last (UTC), oldest first, with ids. At most{" "}
        {ACTIVITY_EXPORT_MAX_DAYS} days at a time.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <div className="min-w-36 flex-1">
          <label htmlFor={ids.from} className="mb-1 block text-sm font-medium text-slate-800">
            From
          </label>
          <input id={ids.from} type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} className={inputClass} />
        </div>
        <div className="min-w-36 flex-1">
          <label htmlFor={ids.to} className="mb-1 block text-sm font-medium text-slate-800">
            To
          </label>
          <input
            id={ids.to}
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            className={inputClass}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? ids.problem : undefined}
          />
        </div>
        <div className="min-w-36 flex-1">
          <label htmlFor={ids.format} className="mb-1 block text-sm font-medium text-slate-800">
            Format
          </label>
          <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value as ActivityExportFormat)} className={inputClass}>
            <option value="csv">CSV (spreadsheets)</option>
            <option value="ndjson">NDJSON (one JSON object per line)</option>
          </select>
        </div>
        {problem ? (
          <Button disabled>Download</Button>
        ) : (
          <a href={href} download className="btn btn-md btn-primary">
            Download
          </a>
        )}
      </div>
      {problem && (
        <p id={ids.problem} className="mt-2 text-sm text-red-700">
          {problem}
        </p>
      )}
    </section>
  );
}
