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

/**
 * What is left of a wait of `seconds` the server counted when its data was read (`readAt`), at
 * `now` from `useNow`. That clock is floored to its step, so it can read earlier than data fetched
 * since its last tick: the wait never grows back past what the server said.
 */
export function secondsLeft(seconds: number, readAt: number, now: number): number {
  return Math.max(0, seconds - Math.floor(Math.max(0, now - readAt) / 1000));
}
