"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { useState, type ReactNode } from "react";
import { Button } from "./button";

export interface ConfirmDialogProps {
  /** The element that opens the dialog (rendered as the trigger); none when `open` is controlled. */
  trigger?: ReactNode;
  /** Controlled: the dialog is open while this is true; `onOpenChange(false)` when it closes. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  /** Resolves true to close, false to keep the dialog open (e.g. to show a refusal). */
  onConfirm: () => Promise<boolean>;
  destructive?: boolean;
  /** Shown instead of the confirm button when the action cannot be done (e.g. last admin). */
  blocked?: ReactNode;
}

/** A confirmation step before an action that takes something away. Focus returns to the trigger. */
export function ConfirmDialog({ trigger, title, description, confirmLabel, onConfirm, destructive = true, blocked, ...controlled }: ConfirmDialogProps) {
  const [ownOpen, setOwnOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const open = controlled.open ?? ownOpen;
  const setOpen = (next: boolean) => {
    setOwnOpen(next);
    controlled.onOpenChange?.(next);
  };
  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      {trigger && <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>}
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
        <AlertDialog.Content className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl">
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
