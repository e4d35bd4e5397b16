import type { Db } from "@/db/client";
import { errorText } from "@/lib/error-text";
import { pruneExpired, type PruneResult } from "@/lib/prune";
import { deliverDue, type DeliverOptions, type DeliverResult } from "./deliver";
import type { Transport } from "./transport";

export interface SweeperOptions extends Omit<DeliverOptions, "now"> {
  /** Pause between sweeps once nothing is due. */
  intervalMs: number;
  /** The clock, read at every pass; tests inject one. */
  now?: () => Date;
  /** Called after every pass (tests and metrics). */
  onPass?: (result: DeliverResult) => void;
  /** How often a sweep also prunes expired rows (rate limits, sessions, tokens, old mail); default 10 minutes, 0 never. */
  pruneEveryMs?: number;
  /** Called after every prune (tests and metrics). */
  onPrune?: (result: PruneResult) => void;
}

export interface Sweeper {
  /** Runs a sweep now instead of waiting for the interval (e.g. right after enqueueing). */
  wake(): void;
  /** Stops sweeping; resolves once the pass in progress has finished its sends in flight and handed the rest of its claim back. */
  stop(): Promise<void>;
}

/**
 * Delivers due outbox messages every `intervalMs` until stopped: each sweep repeats passes until
 * one claims nothing. Errors are logged and the next sweep tries again; it never throws.
 */
export function startSweeper(db: Db, transport: Transport, options: SweeperOptions): Sweeper {
  const logger = options.logger ?? console;
  const clock = options.now ?? (() => new Date());
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wakeRequested = false;
  let running: Promise<void> | undefined;
  const pruneEveryMs = options.pruneEveryMs ?? 10 * 60_000;
  let lastPruneAt = -Infinity;

  const prune = async () => {
    if (pruneEveryMs <= 0 || Date.now() - lastPruneAt < pruneEveryMs) return;
    lastPruneAt = Date.now();
    try {
      options.onPrune?.(await pruneExpired(db, { now: clock() }));
    } catch (err) {
      logger.error("[email] pruning failed:", errorText(err));
    }
  };

  const sweep = async () => {
    await prune();
    while (!stopped) {
      let result: DeliverResult;
      try {
        result = await deliverDue(db, transport, { ...options, now: clock(), stopping: () => stopped });
      } catch (err) {
        // The database may be restarting; the interval is the backoff.
        logger.error("[email] outbox sweep failed:", errorText(err));
        return;
      }
      try {
        options.onPass?.(result);
      } catch (err) {
        logger.error("[email] onPass callback threw:", errorText(err, { stack: true }));
      }
      if (result.claimed === 0) return;
    }
  };

  const tick = () => {
    timer = undefined;
    if (stopped) return;
    wakeRequested = false;
    running = sweep().finally(() => {
      running = undefined;
      if (stopped) return;
      // A wake() during the sweep may concern rows the sweep had already passed over.
      if (wakeRequested) tick();
      else timer = setTimeout(tick, options.intervalMs);
    });
  };

  tick();

  return {
    wake() {
      if (stopped) return;
      if (running) {
        wakeRequested = true;
        return;
      }
      if (timer) clearTimeout(timer);
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
