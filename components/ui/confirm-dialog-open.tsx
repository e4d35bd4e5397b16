"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useState } from "react";
import { Button } from "./button";
import type { ConfirmDialogProps } from "./confirm-dialog";

/** The dialog of ConfirmDialog, loaded only when one is first opened (or about to be). */
export function OpenConfirmDialog({
  title,
  description,
  confirmLabel,
  onConfirm,
  destructive = true,
  blocked,
  returnFocus,
  ...controlled
}: Omit<ConfirmDialogProps, "trigger"> & {
  returnFocus?: HTMLElement | null;
}) {
  const [pending, setPending] = useState(false);
  const open = controlled.open ?? false;
  const setOpen = (next: boolean) => controlled.onOpenChange?.(next);
  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content
          onCloseAutoFocus={(event) => {
            // Back to the button that opened it, when it is still there (a removed row's is not).
            if (returnFocus?.isConnected) {
              event.preventDefault();
              returnFocus.focus();
            }
          }}
          className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl"
        >
          <AlertDialog.Title className="break-words text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 text-sm text-slate-700">{description}</div>
          </AlertDialog.Description>
          {blocked && (
            <p role="alert" className="mt-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
              {blocked}
            </p>
          )}
          <div className="mt-6 flex justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={pending}>
                Cancel
              </Button>
            </AlertDialog.Cancel>
            {!blocked && (
              <Button
                variant={destructive ? "danger" : "primary"}
                pending={pending}
                onClick={async () => {
                  setPending(true);
                  try {
                    if (await onConfirm()) setOpen(false);
                  } finally {
                    setPending(false);
                  }
                }}
              >
                {confirmLabel}
              </Button>
            )}
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
