import type { Db } from "@/db/client";
import { deliverDue, type DeliverOptions, type DeliverResult } from "@/lib/email/deliver";
import type { Transport } from "@/lib/email/transport";
import { pruneExpired, type PruneResult } from "@/lib/prune";
import { pruneWebhookBodies } from "@/lib/webhooks/prune-webhooks";
import type { JobKind } from "./runner";

/** The email outbox as a job kind: each run delivers one claimed batch; another follows while rows were claimed. */
export function emailJob(
  db: Db,
  transport: Transport,
  options: Omit<DeliverOptions, "now" | "stopping"> & { intervalMs: number; now?: () => Date; onPass?: (r: DeliverResult) => void },
): JobKind {
  const logger = options.logger ?? console;
  return {
    name: "email",
    intervalMs: options.intervalMs,
    async run({ stopping }) {
      const result = await deliverDue(db, transport, { ...options, now: (options.now ?? (() => new Date()))(), stopping });
      try {
        options.onPass?.(result);
      } catch (err) {
        logger.error("[jobs] email onPass callback threw:", err);
      }
      return { more: result.claimed > 0 };
    },
  };
}

/** Pruning (lib/prune.ts, and webhook bodies past 7 days) as a job kind: every 10 minutes by default. */
export function pruneJob(db: Db, options: { everyMs?: number; now?: () => Date; onPrune?: (r: PruneResult) => void } = {}): JobKind {
  return {
    name: "prune",
    intervalMs: options.everyMs ?? 10 * 60_000,
    async run() {
      const now = (options.now ?? (() => new Date()))();
      const result = await pruneExpired(db, { now });
      await pruneWebhookBodies(db, { now });
      options.onPrune?.(result);
      return { more: false };
    },
  };
}
