import "server-only";
import { after } from "next/server";
import { deliverDue, deliverIds } from "@/lib/email/deliver";
import { createTransportFromEnv } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { getDb } from "./database";
import { backgroundJobsRunner } from "./jobs";

/**
 * The immediate delivery attempt once the response has gone out (never inside the request): the
 * given rows, or else whatever is due, by waking the in-process sweeper when there is one rather
 * than starting a second sweep beside it. Failures stay in the outbox for the sweeper; nothing
 * here can fail the request that caused the email.
 */
export function deliverAfterResponse(ids?: string[]): void {
  const run = async () => {
    const db = getDb();
    try {
      if (ids) await deliverIds(db, createTransportFromEnv(db), ids);
      else if (backgroundJobsRunner() && getEnv().OUTBOX_SWEEP_MS > 0) backgroundJobsRunner()!.wake("email");
      else await deliverDue(db, createTransportFromEnv(db), { limit: 100 });
    } catch (err) {
      console.error(`[mail] immediate delivery failed; the sweeper will retry: ${errorText(err, { stack: true })}`);
    }
  };
  try {
    after(run);
  } catch {
    // Outside a request (scripts): try at once.
    void run();
  }
}
