"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError, inputClass } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "@/lib/membership/roles";
import { updateSsoSettingsAction } from "../settings-actions";

export interface SsoUsage {
  enabled: boolean;
  requireSso: boolean;
  tested: boolean;
  verifiedDomains: string[];
  projects: { id: string; name: string }[];
  defaultGrants: Record<string, ProjectRole>;
}

/** Whether single sign-on is on, whether it is required, and what people who join through it are given. */
export function SsoUsageForm({ orgId, usage }: { orgId: string; usage: SsoUsage }) {
  const [enabled, setEnabled] = useState(usage.enabled);
  const [requireSso, setRequireSso] = useState(usage.requireSso);
  const [grants, setGrants] = useState<Record<string, ProjectRole | undefined>>(usage.defaultGrants);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  // A saved value that changed elsewhere (another Owner, the API) replaces what the form shows for
  // that box only; the redraw after the form's own save brings what its answer said, so it changes
  // nothing (a box ticked since stays ticked).
  const [saved, setSaved] = useState({ enabled: usage.enabled, requireSso: usage.requireSso });
  if (saved.enabled !== usage.enabled || saved.requireSso !== usage.requireSso) {
    setSaved({ enabled: usage.enabled, requireSso: usage.requireSso });
    if (saved.enabled !== usage.enabled) setEnabled(usage.enabled);
    if (saved.requireSso !== usage.requireSso) setRequireSso(usage.requireSso);
  }
  const save = useAction(updateSsoSettingsAction, {
    success: () => "Single sign-on settings saved",
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      toast.error(refusal.message);
    },
    onSuccess: (data) => {
      setErrors({});
      setEnabled(data.enabled);
      setRequireSso(data.requireSso);
      setSaved({ enabled: data.enabled, requireSso: data.requireSso });
    },
  });
  const domains = usage.verifiedDomains.length ? usage.verifiedDomains.join(", ") : "none yet";

  return (
    <ClientForm
      className="mt-4 space-y-4"
      onSubmit={() => {
        const defaultGrants = Object.entries(grants).flatMap(([projectId, role]) => (role ? [{ projectId, role }] : []));
        void save.run({ orgId, enabled, requireSso: enabled && requireSso, defaultGrants });
      }}
    >
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          className="mt-1 size-4"
          checked={enabled}
          disabled={!usage.tested && !usage.enabled}
          onChange={(e) => setEnabled(e.target.checked)}
          aria-describedby="sso-enabled-help"
        />
        <span>
          <span className="font-medium">Single sign-on on</span>
          <span id="sso-enabled-help" className="block text-sm text-slate-600">
            {usage.tested || usage.enabled
              ? "People with an address in a verified domain are sent to the identity provider from the sign-in page."
              : "Test the connection first: sign in through it once with “Test connection”."}
          </span>
        </span>
      </label>
      <FieldError id="sso-enabled-error" messages={errors.enabled} />
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          className="mt-1 size-4"
          checked={enabled && requireSso}
          disabled={!enabled}
          onChange={(e) => setRequireSso(e.target.checked)}
          aria-describedby="sso-require-help"
        />
        <span>
          <span className="font-medium">Require SSO for verified domains</span>
          <span id="sso-require-help" className="block text-sm text-slate-600">
            Addresses in {domains} can no longer sign in or accept invitations by email link. Organization Owners keep the email link as a
            way in; each use is recorded in the activity.
          </span>
        </span>
      </label>
      <FieldError id="sso-require-error" messages={errors.requireSso} />
      <fieldset>
        <legend className="font-medium">Default project access for people who join through SSO</legend>
        <p className="text-sm text-slate-600">They join the organization as Organization Member, with these project roles.</p>
        {usage.projects.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">This organization has no projects yet.</p>
        ) : (
          <ul className="mt-2 space-y-2">
            {usage.projects.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2">
                <label htmlFor={`grant-${p.id}`} className="min-w-0 break-words">
                  <bdi>{p.name}</bdi>
                </label>
                <select
                  id={`grant-${p.id}`}
                  className={`${inputClass} w-auto`}
                  value={grants[p.id] ?? ""}
                  onChange={(e) => setGrants({ ...grants, [p.id]: (e.target.value || undefined) as ProjectRole | undefined })}
                >
                  <option value="">No access</option>
                  {PROJECT_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {roleLabel(r)}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        )}
        <FieldError id="sso-grants-error" messages={errors.defaultGrants} />
      </fieldset>
      <Button type="submit" pending={save.isPending}>
        Save settings
      </Button>
    </ClientForm>
  );
}
