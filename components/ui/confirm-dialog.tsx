"use client";

import dynamic from "next/dynamic";
import { cloneElement, useState, type FocusEvent, type MouseEvent, type PointerEvent, type ReactElement, type ReactNode } from "react";

// The dialog's code (Radix, focus trap, scroll lock) is fetched when a trigger is pointed at or
// focused, or at the latest when it is clicked: pages that only might confirm do not load it first.
const load = () => import("./confirm-dialog-open");
const OpenConfirmDialog = dynamic(() => load().then((m) => m.OpenConfirmDialog), { ssr: false });

export interface ConfirmDialogProps {
  /** The button that opens the dialog; none when `open` is controlled. */
  trigger?: ReactElement<{
    onClick?: (event: MouseEvent<HTMLElement>) => void;
    onPointerEnter?: (event: PointerEvent<HTMLElement>) => void;
    onFocus?: (event: FocusEvent<HTMLElement>) => void;
  }>;
  /** Controlled: the dialog is open while this is true; `onOpenChange(false)` when it closes. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  title: ReactNode;
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
        // No aria-expanded: that is for what opens in place; a modal dialog takes focus and hides the page.
        "aria-haspopup": "dialog",
        onPointerEnter: (event: PointerEvent<HTMLElement>) => {
          trigger.props.onPointerEnter?.(event);
          void load();
        },
        onFocus: (event: FocusEvent<HTMLElement>) => {
          trigger.props.onFocus?.(event);
          void load();
        },
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
