"use client";

import * as Dialog from "@radix-ui/react-dialog";
import type { ReactNode, RefObject } from "react";

/**
 * The frame of every modal dialog: the overlay and the centred panel (it scrolls when taller than
 * the screen). Goes inside a `Dialog.Root`. With `opener` (a dialog mounted without a Radix
 * trigger), focus goes back to that button when it closes, as long as it is still on the page;
 * without it, Radix returns focus to the trigger itself.
 */
export function ModalFrame({
  opener,
  width = "max-w-md",
  children,
}: {
  opener?: RefObject<HTMLElement | null>;
  width?: "max-w-md" | "max-w-lg";
  children: ReactNode;
}) {
  return (
    <Dialog.Portal>
      <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
      <Dialog.Content
        onCloseAutoFocus={(event) => {
          if (opener?.current?.isConnected) {
            event.preventDefault();
            opener.current.focus();
          }
        }}
        className={
          `fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] ${width} ` +
          `-translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-white p-6 shadow-xl`
        }
      >
        {children}
      </Dialog.Content>
    </Dialog.Portal>
  );
}
