"use client";

import { useSyncExternalStore } from "react";

/**
 * The current time for rendering, in steps of `stepMs`. The server's render and the browser's
 * first (hydrating) render both use `renderedAt`, the moment the server read the data, so they
 * print the same words; after that the browser's clock takes over and ticks.
 */
export function useNow(renderedAt: number, stepMs = 15_000): number {
  return useSyncExternalStore(
    (onChange) => {
      const timer = setInterval(onChange, stepMs);
      return () => clearInterval(timer);
    },
    () => Math.floor(Date.now() / stepMs) * stepMs,
    () => renderedAt,
  );
}
