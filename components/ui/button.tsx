"use client";

import type { ButtonHTMLAttributes, Ref } from "react";
import { useScriptReady } from "./use-script-ready";

type Variant = "primary" | "secondary" | "danger" | "ghost";

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: "sm" | "md";
  /**
   * A button in a table row's actions: no class and no `type` (a row is not in a form, where
   * "submit", the default, would matter). globals.css styles it there as a small ghost button:
   * a page of fifty rows has a hundred and fifty of them.
   */
  bare?: boolean;
  /**
   * The submit button of a form the browser can send before the page's script runs (a form whose
   * `action` is a server action): enabled from the first byte. Every other button is disabled
   * until React has hydrated it (use-script-ready.ts).
   */
  worksWithoutScript?: boolean;
  /** Shows a spinner, disables the button and tells screen readers it is busy. */
  pending?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = "primary",
  size = "md",
  bare = false,
  pending = false,
  worksWithoutScript = false,
  className = "",
  children,
  disabled,
  ...props
}: ButtonProps) {
  const ready = useScriptReady();
  return (
    <button
      type={bare ? undefined : "button"}
      {...props}
      disabled={disabled || pending || (!ready && !worksWithoutScript)}
      aria-busy={pending || undefined}
      // The classes are defined once in globals.css: a page of fifty rows has a few hundred buttons.
      className={bare ? className || undefined : `btn-${size} btn-${variant}${className ? ` ${className}` : ""}`}
    >
      {pending && <span aria-hidden className="size-3.5 animate-spin rounded-full border-2 border-current border-t-transparent" />}
      {children}
    </button>
  );
}
