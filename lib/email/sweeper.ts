import type { Db } from "@/db/client";
import type { PruneResult } from "@/lib/prune";
import { emailJob, pruneJob } from "@/lib/jobs/kinds";
import { startJobRunner } from "@/lib/jobs/runner";
import type { DeliverOptions, DeliverResult } from "./deliver";
import type { Transport } from "./transport";

export interface SweeperOptions extends Omit<DeliverOptions, "now"> {
  /** Pause between sweeps once nothing is due. */
  intervalMs: number;
  /** The clock, read at every pass; tests inject one. */
  now?: () => Date;
  /** Called after every pass (tests and metrics). */
  onPass?: (result: DeliverResult) => void;
  /** How often pruning runs beside the outbox; default 10 minutes, 0 never. */
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
 * The outbox alone on the job runner (lib/jobs/runner.ts), with pruning beside it: what tests and
 * benches that look at email only start. The app and `npm run worker` run every kind together
 * (lib/jobs/background-jobs.ts).
 */
export function startSweeper(db: Db, transport: Transport, options: SweeperOptions): Sweeper {
  const runner = startJobRunner(
    [pruneJob(db, { everyMs: options.pruneEveryMs, now: options.now, onPrune: options.onPrune }), emailJob(db, transport, options)],
    { logger: options.logger },
  );
  return { wake: () => runner.wake("email"), stop: () => runner.stop() };
}
