"use client";

import { useParams, useRouter } from "next/navigation";
import { useScriptReady } from "@/components/ui/use-script-ready";

/** The header's organization switcher: a native select, so keyboard and screen readers just work. */
export function OrgSwitcher({ orgs }: { orgs: { id: string; name: string }[] }) {
  const params = useParams<{ orgId?: string }>();
  const router = useRouter();
  const ready = useScriptReady();
  if (orgs.length === 0) return null;
  const current = params.orgId && orgs.some((o) => o.id === params.orgId) ? params.orgId : "";
  return (
    <label className="flex min-w-0 items-center gap-2 text-sm">
      <span className="sr-only">Organization</span>
      <select
        className="max-w-[40vw] truncate rounded-md border border-slate-300 bg-white px-2 py-1"
        value={current}
        disabled={!ready}
        onChange={(e) => router.push(e.target.value ? `/orgs/${e.target.value}/projects` : "/orgs")}
      >
        <option value="">All organizations</option>
        {orgs.map((o) => (
          <option key={o.id} value={o.id} dir="auto">
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}
