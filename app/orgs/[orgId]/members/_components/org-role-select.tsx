"use client";

import { useState } from "react";
import { useAction } from "@/components/ui/use-action";
import { useScriptReady } from "@/components/ui/use-script-ready";
import { ORG_ROLES, roleLabel, type OrgRole } from "@/lib/membership/roles";
import { roleChangedSentence } from "@/components/sentences";
import { changeOrganizationRoleAction } from "../actions";

/** "Organization role for <email>": the change is immediate; a refusal puts the old value back. */
export function OrgRoleSelect({ orgId, userId, email, role }: { orgId: string; userId: string; email: string; role: OrgRole }) {
  const [value, setValue] = useState(role);
  const change = useAction((next: OrgRole) => changeOrganizationRoleAction({ orgId, userId, role: next }), {
    optimistic: (next) => {
      setValue(next);
      return () => setValue(role);
    },
    success: (_data, next) => roleChangedSentence(email, roleLabel(next)),
  });
  const ready = useScriptReady();
  return (
    <select
      aria-label={`Organization role for ${email}`}
      value={value}
      disabled={change.isPending || !ready}
      aria-busy={change.isPending || undefined}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      onChange={(e) => void change.run(e.target.value as OrgRole)}
    >
      {ORG_ROLES.map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)}
        </option>
      ))}
    </select>
  );
}
