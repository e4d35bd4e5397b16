"use client";

import dynamic from "next/dynamic";
import { useId, useRef, useState } from "react";
import { useAction } from "@/components/ui/use-action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { setDisplayNameAction } from "../actions";

const loadDialog = () => import("./display-name-dialog");
const DisplayNameDialog = dynamic(() => loadDialog().then((m) => m.DisplayNameDialog), { ssr: false });

/** Field "Display name" and "Save name"; a refusal is said under the field and nothing changes. */
function NameForm({ initial, onSaved }: { initial: string; onSaved: () => void }) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const save = useAction(setDisplayNameAction, {
    success: (saved) => (
      <>
        People now see you as <bdi>{saved.name}</bdi>
      </>
    ),
    onSuccess: onSaved,
    onError: (refusal) => setError(refusal.message),
  });
  const ids = { name: useId(), error: useId() };
  return (
    <form
      className="mt-3 flex flex-wrap items-start gap-2"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        await save.run({ name });
      }}
    >
      <div className="min-w-0 flex-1 basis-56">
        <label htmlFor={ids.name} className="sr-only">
          Display name
        </label>
        <input
          id={ids.name}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Ada Lovelace"
          autoComplete="name"
          maxLength={80}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? ids.error : undefined}
          className={inputClass}
        />
        {error && (
          <p id={ids.error} role="alert" className="mt-1 text-sm text-red-700">
            {error}
          </p>
        )}
      </div>
      <Button type="submit" pending={save.isPending}>
        Save name
      </Button>
    </form>
  );
}

/** After the first sign-in (no name yet): asks once per visit, above the page, and can be put off. */
export function DisplayNamePrompt() {
  const [hidden, setHidden] = useState(false);
  const headingId = useId();
  if (hidden) return null;
  return (
    <section aria-labelledby={headingId} className="mb-6 rounded-lg border border-brand-600/30 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="font-semibold">
          What should people call you?
        </h2>
        <button type="button" className="text-sm text-slate-600 underline" onClick={() => setHidden(true)}>
          Not now
        </button>
      </div>
      <p className="text-sm text-slate-600">Your name is shown to the people you work with, next to your email address.</p>
      <NameForm initial="" onSaved={() => setHidden(true)} />
    </section>
  );
}

/** The header's name: opens "Your display name" to change it (the dialog's code loads when needed). */
export function DisplayNameButton({ name }: { name: string | null }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={opener}
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={name ? `Display name: ${name}. Change it` : "Set your display name"}
        className="max-w-[30vw] truncate rounded-md px-2 py-1 font-medium text-slate-800 underline hover:bg-slate-100"
        title={name ?? undefined}
        onPointerEnter={() => void loadDialog()}
        onFocus={() => void loadDialog()}
        onClick={() => setOpen(true)}
      >
        {name ? <bdi>{name}</bdi> : "Set your name"}
      </button>
      {open && (
        <DisplayNameDialog
          opener={opener}
          onClose={() => setOpen(false)}
          form={(onSaved) => <NameForm initial={name ?? ""} onSaved={onSaved} />}
        />
      )}
    </>
  );
}
