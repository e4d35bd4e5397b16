import "server-only";
import type { Db } from "@/db/client";
import { createTransportFromEnv } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { backgroundJobs, intervalsFromEnv } from "@/lib/jobs/background-jobs";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";

const store = globalThis as unknown as { __membershipJobs?: JobRunner };

/**
 * Runs the job runner inside the app process (email outbox, webhook deliveries, domain re-checks,
 * pruning), as `npm run worker` does; each kind's interval 0 leaves that kind to the worker.
 */
export function startBackgroundJobs(db: Db): void {
  if (store.__membershipJobs) return;
  store.__membershipJobs = startJobRunner(backgroundJobs(db, createTransportFromEnv(db), intervalsFromEnv(getEnv())));
}

/** The app's own runner, if it runs in this process: wake("email") right after a commit. */
export function backgroundJobsRunner(): JobRunner | undefined {
  return store.__membershipJobs;
}
