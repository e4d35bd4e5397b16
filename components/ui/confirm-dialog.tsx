"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { cloneElement, useState, type MouseEvent, type ReactElement, type ReactNode } from "react";
import { Button } from "./button";

export interface ConfirmDialogProps {
  /** The button that opens the dialog; none when `open` is controlled. */
  trigger?: ReactElement<{
    onClick?: (event: MouseEvent<HTMLElement>) => void;
  }>;
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

/**
 * A confirmation step before an action that takes something away. Focus returns to the trigger.
 * The dialog itself exists only while it is open: a table of fifty rows renders fifty plain
 * buttons, not fifty dialogs.
 */
export function ConfirmDialog({ trigger, ...props }: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [opener, setOpener] = useState<HTMLElement | null>(null);
  if (!trigger) return <OpenConfirmDialog {...props} />;
  return (
    <>
      {cloneElement(trigger, {
        "aria-haspopup": "dialog",
        "aria-expanded": open,
        onClick: (event: MouseEvent<HTMLElement>) => {
          trigger.props.onClick?.(event);
          setOpener(event.currentTarget);
          setOpen(true);
        },
      } as Record<string, unknown>)}
      {open && (
        <OpenConfirmDialog
          {...props}
          open
          onOpenChange={(next) => {
            setOpen(next);
            props.onOpenChange?.(next);
          }}
          returnFocus={opener}
        />
      )}
    </>
  );
}

function OpenConfirmDialog({
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
