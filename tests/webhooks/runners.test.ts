import { spawn, type ChildProcess } from "node:child_process";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import * as m from "@/lib/membership";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { testTargets, useTestDatabase } from "../db";
import { BASE_URL, buildWorld } from "../membership/fixtures";
import { LIMITS } from "./helpers";
import { startReceiver } from "./receiver";

const children: ChildProcess[] = [];

/** `npm run worker` as its own process (the job runner with every kind), on the test's database. */
function startWorker(url: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/worker.ts"], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      NODE_ENV: "test",
      WEBHOOK_ALLOW_LOOPBACK: "1",
      WEBHOOK_SWEEP_MS: "100",
      OUTBOX_SWEEP_MS: "1000",
      DOMAIN_RECHECK_MS: "3600000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.push(child);
  return child;
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

// Several processes on one database: the Postgres server only.
describe.each(testTargets().filter((k) => k === "postgres"))("webhook runners as processes on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("kill -9 of a worker mid-delivery: the event is still delivered, at least once, with the same id", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const receiver = await startReceiver();
    try {
      const { endpoint, secret } = await m.createWebhookEndpoint(db, w.actors.owner, {
        orgId: w.org.id,
        url: receiver.url,
        eventTypes: ["member.removed"],
      });
      receiver.secrets = [secret];
      receiver.mode = "hang";
      const seen = new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (receiver.requests > 0) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
      const worker = startWorker(database.url!);
      await m.removeOrganizationMember(db, w.actors.owner, { orgId: w.org.id, userId: w.actors.member.id });
      // The worker has claimed the delivery and its request is in flight: kill it there.
      await seen;
      worker.kill("SIGKILL");
      await new Promise((resolve) => worker.once("exit", resolve));
      const [claimed] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(claimed).toMatchObject({ status: "sending", attempts: 1 });

      // Once the dead worker's claim lapses, another runner takes the row over.
      receiver.mode = "up";
      const later = new Date(claimed!.lockedUntil!.getTime() + 1_000);
      const result = await deliverDueWebhooks(db, { now: later, allowLoopback: true });
      expect(result).toMatchObject({ claimed: 1, delivered: 1 });
      expect(receiver.received.map((r) => r.id)).toEqual([claimed!.eventId]);
      const [done] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(done).toMatchObject({ status: "delivered", attempts: 2 });
    } finally {
      await receiver.close();
    }
  });

  it("two app instances making 200 changes and two workers delivering: 200 events arrive, none lost, each id once", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const receiver = await startReceiver();
    const instances = [database.connectAgain(5), database.connectAgain(5)];
    try {
      const { secret } = await m.createWebhookEndpoint(db, w.actors.owner, {
        orgId: w.org.id,
        url: receiver.url,
        eventTypes: ["invitation.created"],
      });
      receiver.secrets = [secret];
      startWorker(database.url!);
      startWorker(database.url!);
      const emails = Array.from({ length: 200 }, (_, i) => `many${i}.${w.tag}@example.test`);
      await Promise.all(
        emails.map((email, i) =>
          m.inviteUsers(
            instances[i % 2]!.db,
            w.actors.owner,
            { orgId: w.org.id, projectId: w.project.id, emails: [email], role: "read_only" },
            { baseUrl: BASE_URL, limits: LIMITS },
          ),
        ),
      );
      await receiver.waitFor(200);
      expect(receiver.unverified).toEqual([]);
      const got = receiver.received.map((r) => (r.payload.data as { email: string }).email);
      expect(new Set(got)).toEqual(new Set(emails));
      // Two workers side by side never took one delivery twice.
      expect(new Set(receiver.received.map((r) => r.id)).size).toBe(receiver.received.length);
      expect(receiver.received).toHaveLength(200);
    } finally {
      await receiver.close();
    }
    // Two worker processes start, migrate and deliver 200 on a shared 2-core machine.
  }, 180_000);
});
