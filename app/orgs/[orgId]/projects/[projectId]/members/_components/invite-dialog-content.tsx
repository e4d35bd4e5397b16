"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { ModalFrame } from "@/components/ui/modal-frame";
import { useId, useRef, useState, type ClipboardEvent, type KeyboardEvent, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { InviteResults } from "@/components/ui/outcome-list";
import { inputClass } from "@/components/ui/field";
import { emailProblem, MAX_INVITE_ADDRESSES, normalizeEmail, splitEmailList } from "@/lib/membership/email-list";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "@/lib/membership/roles";
import { outcomeLine, summarizeOutcomes } from "@/components/sentences";
import { inviteUsersAction } from "../actions";
import { useAction } from "@/components/ui/use-action";
import type { InviteOutcome } from "./api";

interface Chip {
  email: string;
  problem: string | null;
}

/** Adds addresses from typed or pasted text, folding duplicates. */
function addChips(chips: Chip[], text: string): Chip[] {
  const next = [...chips];
  for (const part of splitEmailList(text)) {
    const email = normalizeEmail(part);
    if (next.some((c) => c.email === email)) continue;
    next.push({ email, problem: emailProblem(email) });
  }
  return next;
}

/** The invite dialog itself, mounted (and its code loaded) only while open: closing it forgets its state. */
export function InviteDialogContent({
  orgId,
  projectId,
  projectName,
  opener,
  onClose,
}: {
  orgId: string;
  projectId: string;
  projectName: string;
  opener: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
}) {
  const [chips, setChips] = useState<Chip[]>([]);
  const [draft, setDraft] = useState("");
  const [role, setRole] = useState<ProjectRole>("read_only");
  const [error, setError] = useState<string | null>(null);
  const [results, setResults] = useState<InviteOutcome[] | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const ids = { field: useId(), hint: useId(), error: useId(), role: useId() };

  // The lists refetch in the background, so Done and Escape close the dialog at once.
  const invite = useAction((emails: string[]) => inviteUsersAction({ orgId, projectId, emails, role }), {
    success: (outcomes) => summarizeOutcomes(outcomes),
    onSuccess: (outcomes) => {
      setResults(outcomes);
      setChips([]);
      setDraft("");
    },
    onError: (refusal) => setError(refusal.message),
    invalidate: ["project", projectId],
  });

  const all = draft.trim() ? addChips(chips, draft) : chips;
  const tooMany = all.length > MAX_INVITE_ADDRESSES;
  const invalidCount = all.filter((c) => c.problem).length;

  function commitDraft(text = draft) {
    if (!text.trim()) return;
    setChips((current) => addChips(current, text));
    setDraft("");
  }

  /**
   * Complete addresses become chips as they are typed or autofilled (text before a separator);
   * the address still being typed stays text. Nothing happens on blur, so the dialog does not
   * grow and move "Send invitations" away from a pointer on its way to it.
   */
  function onChange(text: string) {
    const cut = Math.max(text.lastIndexOf(","), text.lastIndexOf(";"), text.search(/\s(?=\S*$)/));
    if (cut >= 0 && text.slice(0, cut).trim()) {
      setChips((current) => addChips(current, text.slice(0, cut)));
      setDraft(text.slice(cut + 1));
    } else {
      setDraft(text);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if ((event.key === "Enter" || event.key === "," || event.key === " ") && draft.trim()) {
      event.preventDefault();
      commitDraft();
    } else if (event.key === "Backspace" && !draft && chips.length > 0) {
      setChips((current) => current.slice(0, -1));
    }
  }

  function onPaste(event: ClipboardEvent<HTMLTextAreaElement>) {
    const text = event.clipboardData.getData("text");
    if (/[\s,;]/.test(text.trim())) {
      event.preventDefault();
      commitDraft(`${draft} ${text}`);
    }
  }

  function submit() {
    setError(null);
    if (all.length === 0) {
      setError("Enter at least one email address.");
      inputRef.current?.focus();
      return;
    }
    if (tooMany) {
      setError(`Invite at most ${MAX_INVITE_ADDRESSES} addresses at a time (you entered ${all.length}).`);
      return;
    }
    setChips(all);
    setDraft("");
    void invite.run(all.map((c) => c.email));
  }

  function reset() {
    setChips([]);
    setDraft("");
    setResults(null);
    setError(null);
  }

  return (
    <Dialog.Root
      open
      onOpenChange={(next) => {
        // Only while the invitations are being written may the dialog not close; never while lists refetch.
        if (invite.isPending && !results) return;
        if (!next) onClose();
      }}
    >
      <ModalFrame opener={opener} width="max-w-lg">
        <Dialog.Title className="text-lg font-semibold">
          Invite users to <bdi>{projectName}</bdi>
        </Dialog.Title>
        <Dialog.Description className="mt-1 text-sm text-slate-600">
          Organization members are added at once. Everyone else gets an email invitation to join the organization with this project role.
        </Dialog.Description>

        {results ? (
          <InviteResults lines={results.map((r) => outcomeLine(r, "project"))} onInviteMore={reset} />
        ) : (
          <form
            className="mt-4 space-y-4"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              submit();
            }}
          >
            <div>
              <label htmlFor={ids.field} className="mb-1 block text-sm font-medium">
                Email addresses
              </label>
              {chips.length > 0 && (
                <ul aria-label="Addresses to invite" className="mb-2 flex flex-wrap gap-1.5">
                  {chips.map((chip) => (
                    <li
                      key={chip.email}
                      className={
                        `flex items-center gap-1 rounded-full border px-2 py-0.5 text-sm ` +
                        `${chip.problem ? "border-red-300 bg-red-50 text-red-800" : "border-slate-300 bg-slate-100"}`
                      }
                      title={chip.problem ?? undefined}
                    >
                      <span className="break-all">{chip.email}</span>
                      {chip.problem && <span className="sr-only">, invalid: {chip.problem}</span>}
                      <button
                        type="button"
                        aria-label={`Remove address ${chip.email}`}
                        className="rounded-full px-1 text-slate-600 hover:bg-slate-200"
                        onClick={() => setChips((current) => current.filter((c) => c.email !== chip.email))}
                      >
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <textarea
                ref={inputRef}
                id={ids.field}
                rows={2}
                value={draft}
                onChange={(e) => onChange(e.target.value)}
                onKeyDown={onKeyDown}
                onPaste={onPaste}
                placeholder="name@example.com, other@example.com"
                aria-describedby={`${ids.hint}${error ? ` ${ids.error}` : ""}`}
                aria-invalid={error ? true : undefined}
                className={inputClass}
              />
              <p id={ids.hint} className="mt-1 text-sm text-slate-600">
                Separate addresses with commas, spaces or new lines. Up to {MAX_INVITE_ADDRESSES} at a time.
                {all.length > 0 && ` ${all.length} address${all.length === 1 ? "" : "es"}`}
                {invalidCount > 0 && `, ${invalidCount} not valid (marked in red)`}
                {all.length > 0 && "."}
              </p>
              {error && (
                <p id={ids.error} role="alert" className="mt-1 text-sm text-red-700">
                  {error}
                </p>
              )}
            </div>
            <div>
              <label htmlFor={ids.role} className="mb-1 block text-sm font-medium">
                Role
              </label>
              <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as ProjectRole)} className={inputClass}>
                {PROJECT_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </select>
            </div>
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button variant="secondary" disabled={invite.isPending}>
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" pending={invite.isPending} disabled={tooMany}>
                Send invitations
              </Button>
            </div>
          </form>
        )}
      </ModalFrame>
    </Dialog.Root>
  );
}
