import "server-only";
import type { Db } from "@/db/client";
import { errorText } from "@/lib/error-text";
import { recheckDueDomains, type RecheckResult } from "./recheck-due-domains";

export interface DomainRechecker {
  /** Stops the timer; resolves once the pass in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Runs `recheckDueDomains` every `intervalMs` (the worker, and the app's own process) until
 * stopped. A pass that fails is logged and the next one tries again; it never throws.
 */
export function startDomainRechecker(
  db: Db,
  options: { intervalMs: number; onPass?: (result: RecheckResult) => void; logger?: Pick<Console, "error"> },
): DomainRechecker {
  const logger = options.logger ?? console;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    running = recheckDueDomains(db)
      .then(
        (result) => options.onPass?.(result),
        (err: unknown) => logger.error("[domains] re-check failed:", errorText(err)),
      )
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
