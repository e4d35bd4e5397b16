"use client";

import { Toaster as Sonner } from "sonner";

/** Bottom right: a toast never covers the header (address, organization switcher, Sign out). */
export function Toaster() {
  return (
    <Sonner
      closeButton
      position="bottom-right"
      toastOptions={{ classNames: { toast: "!text-slate-900", description: "!text-slate-700" } }}
    />
  );
}
