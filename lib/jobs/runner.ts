import { errorText } from "@/lib/error-text";

/** What one run of a job kind did: `more` asks for another run at once (it may have left work behind). */
export interface JobPass {
  more: boolean;
}

/** One kind of background work the runner repeats: the email outbox, webhook deliveries, pruning, domain re-checks. */
export interface JobKind {
  /** Names the kind in logs and in wake(). */
  name: string;
  /** Pause after a run that left nothing behind; 0 or less switches the kind off. */
  intervalMs: number;
  /** One run; it claims its own rows (FOR UPDATE SKIP LOCKED), so several runners may run the same kind at once. */
  run(context: { stopping: () => boolean }): Promise<JobPass>;
}

export interface JobRunner {
  /** Runs a kind (or every kind) now instead of waiting for its interval, e.g. right after enqueueing. */
  wake(name?: string): void;
  /** Stops every kind; resolves once the runs in progress have finished (they see `stopping` and hand back their claims). */
  stop(): Promise<void>;
}

/**
 * The one runner of background work. Each registered kind loops on its own timer, so a slow
 * kind (a webhook endpoint that times out, a DNS server that does not answer) never holds up
 * another (email). A run that throws is logged and retried after the interval; the runner
 * never throws.
 */
export function startJobRunner(kinds: JobKind[], options: { logger?: Pick<Console, "error"> } = {}): JobRunner {
  const logger = options.logger ?? console;
  let stopped = false;
  const loops = new Map(kinds.filter((k) => k.intervalMs > 0).map((kind) => [kind.name, startLoop(kind)] as const));

  function startLoop(kind: JobKind) {
    let timer: NodeJS.Timeout | undefined;
    let wakeRequested = false;
    let running: Promise<void> | undefined;

    const runUntilIdle = async () => {
      while (!stopped) {
        let pass: JobPass;
        try {
          pass = await kind.run({ stopping: () => stopped });
        } catch (err) {
          // The database may be restarting; the interval is the backoff.
          logger.error(`[jobs] ${kind.name} failed:`, errorText(err));
          return;
        }
        if (!pass.more) return;
      }
    };

    const tick = () => {
      timer = undefined;
      if (stopped) return;
      wakeRequested = false;
      running = runUntilIdle().finally(() => {
        running = undefined;
        if (stopped) return;
        // A wake() during the run may concern rows the run had already passed over.
        if (wakeRequested) tick();
        else timer = setTimeout(tick, kind.intervalMs);
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
        if (timer) clearTimeout(timer);
        timer = undefined;
        await running;
      },
    };
  }

  return {
    wake(name) {
      for (const [loopName, loop] of loops) if (name === undefined || name === loopName) loop.wake();
    },
    async stop() {
      stopped = true;
      await Promise.all([...loops.values()].map((loop) => loop.stop()));
    },
  };
}
