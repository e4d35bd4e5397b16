"use client";

import { ClientForm } from "@/components/ui/client-form";
import * as Dialog from "@radix-ui/react-dialog";
import { ModalFrame } from "@/components/ui/modal-frame";
import { useId, useState } from "react";
import { useAction } from "@/components/ui/use-action";
import { Button } from "@/components/ui/button";
import { InviteResults } from "@/components/ui/outcome-list";
import { inputClass } from "@/components/ui/field";
import { MAX_INVITE_ADDRESSES, splitEmailList } from "@/lib/membership/email-list";
import type { OrgInviteOutcome } from "@/lib/membership/invitations/invite-to-organization";
import { ORG_ROLES, PROJECT_ROLES, roleLabel, type OrgRole, type ProjectRole } from "@/lib/membership/roles";
import { outcomeLine, summarizeOutcomes } from "@/components/sentences";
import { inviteToOrganizationAction } from "../actions";

/** The owner's "Invite to organization" dialog: addresses, one organization role, optional project access. */
export function OrgInviteDialog({
  orgId,
  orgName,
  projects,
}: {
  orgId: string;
  orgName: string;
  projects: { id: string; name: string }[];
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const [orgRole, setOrgRole] = useState<OrgRole>("member");
  const [access, setAccess] = useState<Record<string, ProjectRole | null>>({});
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<OrgInviteOutcome[] | null>(null);
  const ids = { emails: useId(), hint: useId(), error: useId(), role: useId() };
  const invite = useAction(inviteToOrganizationAction, {
    success: (outcomes) => summarizeOutcomes(outcomes),
    onSuccess: (outcomes) => setResults(outcomes),
    onError: (refusal) => setError(refusal.message),
  });
  const pending = invite.isPending;
  const count = new Set(splitEmailList(text).map((e) => e.toLowerCase())).size;

  function reset() {
    setText("");
    setOrgRole("member");
    setAccess({});
    setError(null);
    setResults(null);
  }

  async function submit() {
    setError(null);
    if (count === 0) return setError("Enter at least one email address.");
    if (count > MAX_INVITE_ADDRESSES) return setError(`Invite at most ${MAX_INVITE_ADDRESSES} addresses at a time (you entered ${count}).`);
    const grants = Object.entries(access).flatMap(([projectId, role]) => (role ? [{ projectId, role }] : []));
    await invite.run({ orgId, emails: text, orgRole, projects: grants });
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(next) => {
        if (pending) return;
        setOpen(next);
        if (!next) reset();
      }}
    >
      <Dialog.Trigger asChild>
        <Button>Invite to organization</Button>
      </Dialog.Trigger>
      <ModalFrame width="max-w-lg">
        <Dialog.Title className="break-words text-lg font-semibold">
          Invite to <bdi>{orgName}</bdi>
        </Dialog.Title>
        <Dialog.Description className="mt-1 text-sm text-slate-600">
          Each address gets one invitation with the organization role and the project access below. Members already in the organization get
          the project access at once.
        </Dialog.Description>
        {results ? (
          <InviteResults lines={results.map((r) => outcomeLine(r, "organization"))} onInviteMore={reset} />
        ) : (
          <ClientForm className="mt-4 space-y-4" noValidate onSubmit={() => submit()}>
            <div>
              <label htmlFor={ids.emails} className="mb-1 block text-sm font-medium">
                Email addresses
              </label>
              <textarea
                id={ids.emails}
                rows={3}
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder="name@example.com, other@example.com"
                aria-describedby={`${ids.hint}${error ? ` ${ids.error}` : ""}`}
                aria-invalid={error ? true : undefined}
                className={inputClass}
              />
              <p id={ids.hint} className="mt-1 text-sm text-slate-600">
                Separate addresses with commas, spaces or new lines. Up to {MAX_INVITE_ADDRESSES} at a time.
                {count > 0 && ` ${count} address${count === 1 ? "" : "es"}.`}
              </p>
              {error && (
                <p id={ids.error} role="alert" className="mt-1 text-sm text-red-700">
                  {error}
                </p>
              )}
            </div>
            <div>
              <label htmlFor={ids.role} className="mb-1 block text-sm font-medium">
                Organization role
              </label>
              <select id={ids.role} value={orgRole} onChange={(e) => setOrgRole(e.target.value as OrgRole)} className={inputClass}>
                {[...ORG_ROLES].reverse().map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>
            </div>
            <fieldset>
              <legend className="text-sm font-medium">Project access</legend>
              <p className="text-sm text-slate-600">Optional. Choose a role for each project they should join.</p>
              <ul className="mt-2 space-y-2">
                {projects.map((p) => (
                  <li key={p.id} className="flex flex-wrap items-center justify-between gap-2">
                    <bdi className="min-w-0 break-words text-sm">{p.name}</bdi>
                    <select
                      aria-label={`Role in ${p.name}`}
                      value={access[p.id] ?? ""}
                      onChange={(e) => setAccess((a) => ({ ...a, [p.id]: (e.target.value || null) as ProjectRole | null }))}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
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
            </fieldset>
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary" disabled={pending}>
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" pending={pending}>
                Send invitations
              </Button>
            </div>
          </ClientForm>
        )}
      </ModalFrame>
    </Dialog.Root>
  );
}
