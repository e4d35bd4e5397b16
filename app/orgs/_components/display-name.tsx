"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { toast } from "sonner";
import { unwrap } from "@/components/ui/action";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { setDisplayNameAction } from "../actions";

/** Field "Display name" and "Save name"; a refusal is said under the field and nothing changes. */
function NameForm({ initial, onSaved }: { initial: string; onSaved: () => void }) {
  const router = useRouter();
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const ids = { name: useId(), error: useId() };
  return (
    <form
      className="mt-3 flex flex-wrap items-start gap-2"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        setPending(true);
        setError(null);
        try {
          const saved = await unwrap(setDisplayNameAction({ name }));
          toast.success(`People now see you as ${saved.name}`);
          onSaved();
          router.refresh();
        } catch (err) {
          setError((err as Error).message);
        } finally {
          setPending(false);
        }
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
      <Button type="submit" pending={pending}>
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

/** The header's name: opens "Your display name" to change it. */
export function DisplayNameButton({ name }: { name: string | null }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" aria-label={name ? `Display name: ${name}. Change it` : "Set your display name"} className="max-w-[30vw] truncate rounded-md px-2 py-1 font-medium text-slate-800 underline hover:bg-slate-100" title={name ?? undefined}>
          {name ?? "Set your name"}
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
          <Dialog.Title className="text-lg font-semibold">Your display name</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">Shown to the people you work with, next to your email address.</Dialog.Description>
          <NameForm initial={name ?? ""} onSaved={() => setOpen(false)} />
          <div className="mt-4 flex justify-end">
            <Dialog.Close asChild>
              <Button variant="secondary">Close</Button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
