import "server-only";
import type { Db } from "@/db/client";
import type { Transport } from "@/lib/email/transport";
import type { Env } from "@/lib/env";
import { recheckDueDomains } from "@/lib/membership/domains/recheck-due-domains";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { emailJob, pruneJob } from "./kinds";
import type { JobKind } from "./runner";

/** Intervals of the job kinds, each 0 to switch the kind off in this process. */
export interface JobIntervals {
  emailMs: number;
  webhooksMs: number;
  domainsMs: number;
  pruneMs: number;
}

/** The intervals the environment asks for (the app's own runner). */
export function intervalsFromEnv(env: Env): JobIntervals {
  return { emailMs: env.OUTBOX_SWEEP_MS, webhooksMs: env.WEBHOOK_SWEEP_MS, domainsMs: env.DOMAIN_RECHECK_MS, pruneMs: 10 * 60_000 };
}

/**
 * Every kind of background work, for the one runner (the app's process and `npm run worker`):
 * the email outbox, webhook deliveries, domain re-checks and pruning. Each claims its rows with
 * FOR UPDATE SKIP LOCKED, so any number of runners may run side by side.
 */
export function backgroundJobs(db: Db, transport: Transport, intervals: JobIntervals, log?: (line: string) => void): JobKind[] {
  return [
    emailJob(db, transport, {
      intervalMs: intervals.emailMs,
      onPass: (r) => {
        if (r.claimed > 0) log?.(`email: claimed ${r.claimed}: sent ${r.sent}, retrying ${r.retrying}, failed ${r.failed}`);
      },
    }),
    {
      name: "webhooks",
      intervalMs: intervals.webhooksMs,
      async run() {
        const r = await deliverDueWebhooks(db);
        if (r.claimed > 0) log?.(`webhooks: claimed ${r.claimed}: delivered ${r.delivered}, retrying ${r.retrying}, failed ${r.failed}`);
        return { more: r.claimed > 0 };
      },
    },
    {
      name: "domains",
      intervalMs: intervals.domainsMs,
      async run() {
        const r = await recheckDueDomains(db);
        if (r.checked > 0) log?.(`domains: checked ${r.checked}: ${r.verified} verified, ${r.failed} failed`);
        return { more: false };
      },
    },
    pruneJob(db, { everyMs: intervals.pruneMs }),
  ];
}
