/**
 * Outbox delivery throughput against the local Resend stand-in:
 *   npx tsx bench/sweeper-throughput.ts            # fresh in-memory PGlite
 *   DATABASE_URL=postgres://... npx tsx bench/...  # fresh database on the server, dropped after
 * BENCH_N (2000), BENCH_LIMIT (100) and BENCH_CONCURRENCY (8) tune the run.
 */
import { performance } from "node:perf_hooks";
import { deliverDue, type DeliverResult } from "@/lib/email/deliver";
import { enqueueEmails } from "@/lib/email/outbox";
import { createResendTransport } from "@/lib/email/transport";
import { createTestDatabase } from "@/tests/db";
import { startFakeResend } from "@/tests/email/fake-resend";
import { sampleMessages } from "@/tests/email/helpers";

const N = Number(process.env.BENCH_N ?? 2000);
const LIMIT = Number(process.env.BENCH_LIMIT ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function main(): Promise<void> {
  const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
  const database = await createTestDatabase(kind);
  const fake = await startFakeResend();
  try {
    const transport = createResendTransport({ apiKey: "re_bench", baseUrl: fake.url });
    const now = new Date();
    for (let i = 0; i < N; i += 500) {
      const batch = sampleMessages(Math.min(500, N - i), now);
      await database.db.transaction((tx) => enqueueEmails(tx, batch, now));
    }

    const total: DeliverResult = { claimed: 0, sent: 0, retrying: 0, failed: 0, released: 0, errors: 0 };
    const started = performance.now();
    for (;;) {
      const r = await deliverDue(database.db, transport, { limit: LIMIT, concurrency: CONCURRENCY, from: "Bench <bench@acme.test>" });
      for (const k of Object.keys(total) as (keyof DeliverResult)[]) total[k] += r[k];
      if (r.claimed === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;

    const delivered = fake.delivered().length;
    if (delivered !== N || total.sent !== N) throw new Error(`expected ${N} deliveries, got ${delivered} (sent ${total.sent})`);
    console.log(
      `${kind}: ${N} messages in ${seconds.toFixed(2)} s = ${Math.round(N / seconds)} messages/second ` +
        `(limit ${LIMIT}, concurrency ${CONCURRENCY}, render + HTTP + bookkeeping per message)`,
    );
  } finally {
    await fake.close();
    await database.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
