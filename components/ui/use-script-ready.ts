"use client";

import { useSyncExternalStore } from "react";

const noChange = () => () => {};

/**
 * False in the server's HTML and while the page hydrates; true once React runs the control (and
 * at once for one drawn later in the browser). A control that works only through script is
 * disabled until then: a click or a choice made on the server's HTML before hydration reaches no
 * handler and would be lost without a word (seen on a slow machine: Resend pressed just after the
 * page loaded sent nothing).
 */
export function useScriptReady(): boolean {
  return useSyncExternalStore(
    noChange,
    () => true,
    () => false,
  );
}
