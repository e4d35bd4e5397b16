"use client";

import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode, RefObject } from "react";
import { Button } from "@/components/ui/button";

/** "Your display name", around the name form; mounted only while open. */
export function DisplayNameDialog({
  opener,
  onClose,
  form,
}: {
  opener: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
  form: (onSaved: () => void) => ReactNode;
}) {
  return (
    <Dialog.Root open onOpenChange={(next) => !next && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <Dialog.Content
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            opener.current?.focus();
          }}
          className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl"
        >
          <Dialog.Title className="text-lg font-semibold">Your display name</Dialog.Title>
          <Dialog.Description className="mt-1 text-sm text-slate-600">Shown to the people you work with, next to your email address.</Dialog.Description>
          {form(onClose)}
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
