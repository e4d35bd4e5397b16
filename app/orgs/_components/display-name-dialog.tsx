"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { ModalFrame } from "@/components/ui/modal-frame";
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
      <ModalFrame opener={opener}>
        <Dialog.Title className="text-lg font-semibold">Your display name</Dialog.Title>
        <Dialog.Description className="mt-1 text-sm text-slate-600">
          Shown to the people you work with, next to your email address.
        </Dialog.Description>
        {form(onClose)}
        <div className="mt-4 flex justify-end">
          <Dialog.Close asChild>
            <Button variant="secondary">Close</Button>
          </Dialog.Close>
        </div>
      </ModalFrame>
    </Dialog.Root>
  );
}
