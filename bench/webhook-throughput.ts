/**
 * Webhook delivery throughput of the job runner's claim (FOR UPDATE SKIP LOCKED + lease) with
 * several runners side by side, to a receiver on loopback that verifies every signature:
 *   DATABASE_URL=postgres://... npx tsx --conditions=react-server bench/webhook-throughput.ts
 * (a fresh database on the server, dropped after). BENCH_N (2000) deliveries, BENCH_RUNNERS (4).
 */
import { performance } from "node:perf_hooks";
import { webhookDeliveries, webhookEvents } from "@/db/schema";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-webhooks";
import { deliveryRow, eventPayload, newEventId } from "@/lib/webhooks/enqueue-events";
import { openDatabase } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { startReceiver } from "@/tests/webhooks/receiver";
import { createScratchDatabase, seedBenchEndpoint, serverUrl } from "./scratch-database";

const N = Number(process.env.BENCH_N ?? 2000);
const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 4);

async function main(): Promise<void> {
  const scratch = await createScratchDatabase(
    serverUrl("Set DATABASE_URL to a Postgres server: several runners need one"),
    "mc_bench_webhooks",
  );
  const database = openDatabase({ url: scratch.url, max: 2 });
  await migrateDatabase(database);
  const pools = Array.from({ length: RUNNERS }, () => openDatabase({ url: scratch.url, max: 2 }));
  const receiver = await startReceiver();
  try {
    const { orgId, endpointId } = await seedBenchEndpoint(database.db, receiver);
    const now = new Date();
    for (let i = 0; i < N; i += 500) {
      const ids = Array.from({ length: Math.min(500, N - i) }, () => newEventId());
      await database.db.insert(webhookEvents).values(
        ids.map((id) => ({
          id,
          orgId,
          type: "member.removed",
          payload: eventPayload(id, "member.removed", orgId, now, { n: i }) as never,
        })),
      );
      await database.db.insert(webhookDeliveries).values(ids.map((id) => deliveryRow(endpointId, id, now)));
    }
    const started = performance.now();
    await Promise.all(
      pools.map(async (pool) => {
        for (;;) {
          const r = await deliverDueWebhooks(pool.db, { allowLoopback: true, limit: 50 });
          if (r.claimed === 0) return;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    if (receiver.received.length !== N || receiver.unverified.length > 0) {
      throw new Error(`expected ${N} verified deliveries, got ${receiver.received.length} (${receiver.unverified.length} unverified)`);
    }
    if (new Set(receiver.received.map((r) => r.id)).size !== N) throw new Error("an event was delivered twice");
    console.log(
      `postgres: ${N} webhook deliveries with ${RUNNERS} runners in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} deliveries/second ` +
        `(sign + HTTP POST on loopback + verify + bookkeeping; none lost, none twice)`,
    );
  } finally {
    await receiver.close();
    await Promise.all(pools.map((p) => p.close()));
    await database.close();
    await scratch.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
