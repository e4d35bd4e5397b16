"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { unwrap } from "@/components/ui/action";
import { ORG_ROLES, roleLabel, type OrgRole } from "@/lib/membership/roles";
import { roleChangedSentence } from "@/components/sentences";
import { changeOrganizationRoleAction } from "../actions";

/** "Organization role for <email>": the change is immediate; a refusal puts the old value back. */
export function OrgRoleSelect({ orgId, userId, email, role }: { orgId: string; userId: string; email: string; role: OrgRole }) {
  const router = useRouter();
  const [value, setValue] = useState(role);
  const [pending, setPending] = useState(false);
  return (
    <select
      aria-label={`Organization role for ${email}`}
      value={value}
      disabled={pending}
      aria-busy={pending || undefined}
      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      onChange={async (e) => {
        const next = e.target.value as OrgRole;
        setValue(next);
        setPending(true);
        try {
          await unwrap(changeOrganizationRoleAction({ orgId, userId, role: next }));
          toast.success(roleChangedSentence(email, roleLabel(next)));
          router.refresh();
        } catch (err) {
          setValue(role);
          toast.error((err as Error).message);
        } finally {
          setPending(false);
        }
      }}
    >
      {ORG_ROLES.map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)}
        </option>
      ))}
    </select>
  );
}
