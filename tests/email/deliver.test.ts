import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { mailboxMessages } from "@/db/schema";
import { claimDue, deliverDue, deliverIds } from "@/lib/email/deliver";
import { startSweeper, type Sweeper } from "@/lib/email/sweeper";
import { createLocalMailboxTransport, createResendTransport, type Transport } from "@/lib/email/transport";
import { testTargets, useTestDatabase } from "../db";
import { startFakeResend, type FakeResend } from "./fake-resend";
import {
  after,
  clearEmailTables,
  drain,
  enqueue,
  idleSignal,
  invitationPayload,
  outboxRow,
  outboxRows,
  sampleMessages,
  T0,
  tally,
} from "./helpers";

const FROM = "Acme Console <console@acme.test>";
const HOUR = 3_600_000;
const quiet = { error: vi.fn(), warn: vi.fn() };

describe.each(testTargets())("outbox delivery on %s", (kind) => {
  const database = useTestDatabase(kind);
  let fake: FakeResend;
  let resend: Transport;
  const sweepers: Sweeper[] = [];

  beforeEach(async () => {
    await clearEmailTables(database.db);
    fake = await startFakeResend();
    // Generous: these tests are about claims and retries, and on a loaded 2-core machine a slow
    // answer from the local stand-in must not turn into a transport timeout (see the hanging test).
    resend = createResendTransport({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 30_000 });
  });
  afterEach(async () => {
    await Promise.all(sweepers.splice(0).map((s) => s.stop()));
    await fake.close();
  });

  it("keeps all 100 messages through a provider outage, then the sweeper delivers each exactly once", async () => {
    const ids = await enqueue(database.db, sampleMessages(100, T0), T0);
    fake.setBehavior("fail");
    let clock = T0;
    const idle = idleSignal();
    const firstSweep = idle.next();
    const sweeper = startSweeper(database.db, resend, {
      intervalMs: HOUR,
      now: () => clock,
      limit: 25,
      from: FROM,
      onPass: idle.onPass,
      logger: quiet,
    });
    sweepers.push(sweeper);
    await firstSweep;

    expect(fake.requests).toHaveLength(100);
    let rows = await outboxRows(database.db);
    expect(rows).toHaveLength(100);
    for (const row of rows) {
      expect(row.status).toBe("pending");
      expect(row.attempts).toBe(1);
      expect(row.lastError).toContain("HTTP 500");
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(T0.getTime());
      expect(row.payload).toHaveProperty("url"); // still deliverable: the link is kept until it is sent
    }

    fake.setBehavior("accept");
    clock = after(T0, 2 * HOUR); // past the largest backoff, with no real waiting
    const recovered = idle.next();
    sweeper.wake();
    await recovered;

    rows = await outboxRows(database.db);
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    expect(rows.every((r) => r.attempts === 2 && r.lastError === null && !("url" in r.payload))).toBe(true);
    const delivered = fake.delivered();
    expect(delivered).toHaveLength(100);
    expect(new Set(delivered.map((d) => d.idempotencyKey))).toEqual(new Set(ids));
    expect(fake.requests).toHaveLength(200); // one failed and one accepted request per message
    expect([...tally(fake.requests.map((r) => r.idempotencyKey)).values()].every((n) => n === 2)).toBe(true);
    const idByKey = new Map(delivered.map((d) => [d.idempotencyKey, d.id]));
    expect(rows.every((r) => r.provider === "resend" && r.providerMessageId === idByKey.get(r.id))).toBe(true);
  });

  it("sends the rendered message with from, to and the outbox id as Idempotency-Key", async () => {
    const [id] = await enqueue(database.db, [{ to: "bob@example.test", kind: "invitation", payload: invitationPayload(T0) }], T0);
    const result = await deliverIds(database.db, resend, [id!], { now: T0, from: FROM });
    expect(result).toMatchObject({ claimed: 1, sent: 1 });
    const [request] = fake.requests;
    expect(request).toMatchObject({ idempotencyKey: id, authorization: "Bearer re_test_key", from: FROM, to: ["bob@example.test"] });
    expect(request?.subject).toBe("You're invited to join Embeddings Prod on Acme Vectors");
    expect(request?.html).toContain("https://console.acme.test/invitations/accept?token=inv-secret-token");
    expect(request?.text).toContain("https://console.acme.test/invitations/accept?token=inv-secret-token");
    const row = await outboxRow(database.db, id!);
    expect(row).toMatchObject({ status: "sent", lockedUntil: null, providerMessageId: request?.id });
    // Its own send time: the batch's clock plus the time this message took to go out.
    expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(T0.getTime());
    expect(row.sentAt!.getTime()).toBeLessThan(T0.getTime() + 60_000);
    expect(row.payload).not.toHaveProperty("url");
    expect(row.payload).toHaveProperty("projectName", "Embeddings Prod");
  });

  it("deliverIds claims only its own row, and not one another sender holds", async () => {
    const [a, b, c] = await enqueue(database.db, sampleMessages(3, T0), T0);
    await deliverIds(database.db, resend, [a!], { now: T0, from: FROM });
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([a]);
    expect((await outboxRow(database.db, b!)).status).toBe("pending");

    await claimDue(database.db, { now: T0, limit: 10, ids: [c!] });
    expect(await deliverIds(database.db, resend, [c!], { now: T0, from: FROM })).toMatchObject({ claimed: 0, sent: 0 });
    expect(fake.requests).toHaveLength(1);
  });

  it("fails a message the provider rejects with 422 and never tries it again", async () => {
    const ids = await enqueue(database.db, sampleMessages(3, T0), T0);
    fake.rejectAddress("user1@example.test");
    expect(await drain(database.db, resend, { now: T0, from: FROM })).toMatchObject({ claimed: 3, sent: 2, failed: 1, retrying: 0 });

    const rejected = await outboxRow(database.db, ids[1]!);
    expect(rejected.status).toBe("failed");
    expect(rejected.attempts).toBe(1);
    expect(rejected.lastError).toContain("HTTP 422");
    expect(rejected.payload).not.toHaveProperty("url");

    expect(await drain(database.db, resend, { now: after(T0, 48 * HOUR), from: FROM })).toMatchObject({ claimed: 0 });
    expect(fake.requests.filter((r) => r.to[0] === "user1@example.test")).toHaveLength(1);
  });

  it("backs off exponentially and marks a message failed after maxAttempts", async () => {
    const [id] = await enqueue(database.db, sampleMessages(1, T0), T0);
    fake.setBehavior("fail");
    let clock = T0;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      await drain(database.db, resend, { now: clock, from: FROM, maxAttempts: 3 });
      const row = await outboxRow(database.db, id!);
      if (row.status === "pending") delays.push(row.nextAttemptAt.getTime() - clock.getTime());
      clock = row.nextAttemptAt.getTime() > clock.getTime() ? row.nextAttemptAt : after(clock, HOUR);
    }
    expect(fake.requests).toHaveLength(3);
    // 30 s then 60 s, each up to 10% earlier (jitter).
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(27_000);
    expect(delays[0]).toBeLessThanOrEqual(30_000);
    expect(delays[1]).toBeGreaterThanOrEqual(54_000);
    expect(delays[1]).toBeLessThanOrEqual(60_000);
    const row = await outboxRow(database.db, id!);
    expect(row).toMatchObject({ status: "failed", attempts: 3 });
    expect(row.lastError).toMatch(/^Gave up after 3 attempts: .*HTTP 500/);
    expect(row.payload).not.toHaveProperty("url");
  });

  it("retries a request the provider leaves hanging, once the transport times out", async () => {
    const [id] = await enqueue(database.db, sampleMessages(1, T0), T0);
    fake.setBehavior("hang");
    // Short timeout so the hung request costs the test a fraction of a second.
    const impatient = createResendTransport({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 300 });
    expect(await drain(database.db, impatient, { now: T0, from: FROM })).toMatchObject({ claimed: 1, retrying: 1 });
    const row = await outboxRow(database.db, id!);
    expect(row.status).toBe("pending");
    expect(row.lastError).toContain("no response within 300 ms");

    fake.setBehavior("accept");
    expect(await drain(database.db, resend, { now: after(T0, HOUR), from: FROM })).toMatchObject({ sent: 1 });
    expect(fake.requests.map((r) => [r.idempotencyKey, r.status])).toEqual([
      [id, "hung"],
      [id, 200],
    ]);
  });

  it("waits at least the provider's Retry-After after a 429", async () => {
    await fake.close();
    fake = await startFakeResend({ behavior: "rate_limit", retryAfterSeconds: 600 });
    resend = createResendTransport({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 30_000 });
    const [id] = await enqueue(database.db, sampleMessages(1, T0), T0);
    expect(await drain(database.db, resend, { now: T0, from: FROM })).toMatchObject({ retrying: 1, failed: 0 });
    const row = await outboxRow(database.db, id!);
    expect(row.lastError).toContain("HTTP 429");
    // The plain backoff would be at most 30 s.
    expect(row.nextAttemptAt.getTime() - T0.getTime()).toBe(600_000);
    expect(await drain(database.db, resend, { now: after(T0, 599_000), from: FROM })).toMatchObject({ claimed: 0 });
  });

  it("after a 429 hands the rest of the batch back untried instead of spending their attempts", async () => {
    await fake.close();
    fake = await startFakeResend({ behavior: "rate_limit", retryAfterSeconds: 5 });
    resend = createResendTransport({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 30_000 });
    const ids = await enqueue(database.db, sampleMessages(5, T0), T0);
    // One at a time, so exactly one message meets the 429.
    expect(await deliverDue(database.db, resend, { now: T0, from: FROM, concurrency: 1 })).toMatchObject({
      claimed: 5,
      retrying: 1,
      released: 4,
    });
    expect(fake.requests).toHaveLength(1);
    const tried = fake.requests[0]!.idempotencyKey!;
    expect(await outboxRow(database.db, tried)).toMatchObject({ status: "pending", attempts: 1 });
    for (const id of ids.filter((i) => i !== tried)) {
      const row = await outboxRow(database.db, id);
      expect(row).toMatchObject({ status: "pending", attempts: 0, lockedUntil: null, nextAttemptAt: after(T0, 5_000) });
    }
  });

  it("a sweeper told to stop finishes the send in flight and hands the rest of its claim back untried", async () => {
    const ids = await enqueue(database.db, sampleMessages(5, T0), T0);
    let release!: () => void;
    const sendStarted = new Promise<void>((started) => {
      const gate = new Promise<void>((open) => (release = open));
      // A slow provider: the first send waits until the test has asked the sweeper to stop.
      resend = {
        name: "slow",
        send: async () => {
          started();
          await gate;
          return { providerMessageId: "accepted" };
        },
      };
    });
    const sweeper = startSweeper(database.db, resend, { intervalMs: HOUR, now: () => T0, concurrency: 1, from: FROM, logger: quiet });
    await sendStarted;
    const stopped = sweeper.stop();
    release();
    await stopped;

    const rows = await outboxRows(database.db);
    expect(tally(rows.map((r) => r.status))).toEqual(
      new Map([
        ["sent", 1],
        ["pending", 4],
      ]),
    );
    for (const row of rows.filter((r) => r.status === "pending")) {
      // Untried: no attempt spent, no claim left for another worker to wait out.
      expect(row).toMatchObject({ attempts: 0, lockedUntil: null });
    }
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
  });

  it("takes over messages whose sender died after claiming them, once the claim lapses", async () => {
    const ids = await enqueue(database.db, sampleMessages(10, T0), T0);
    // A sender that committed its claim and then died before sending anything.
    expect(await claimDue(database.db, { now: T0, limit: 50 })).toHaveLength(10);

    let clock = after(T0, 30_000);
    const idle = idleSignal();
    const firstSweep = idle.next();
    const sweeper = startSweeper(database.db, resend, {
      intervalMs: HOUR,
      now: () => clock,
      from: FROM,
      onPass: idle.onPass,
      logger: quiet,
    });
    sweepers.push(sweeper);
    await firstSweep;
    expect(fake.requests).toHaveLength(0); // the claim still holds
    expect((await outboxRows(database.db)).every((r) => r.status === "sending")).toBe(true);

    clock = after(T0, 61_000);
    const recovered = idle.next();
    sweeper.wake();
    await recovered;
    const rows = await outboxRows(database.db);
    expect(rows.every((r) => r.status === "sent" && r.attempts === 2)).toBe(true);
    expect(fake.requests).toHaveLength(10);
    expect(new Set(fake.requests.map((r) => r.idempotencyKey))).toEqual(new Set(ids));
  });

  it("fails a message whose stored payload is malformed, without calling the provider", async () => {
    const [id] = await enqueue(
      database.db,
      [{ to: "x@example.test", kind: "invitation", payload: invitationPayload(T0, { url: "" }) }],
      T0,
    );
    expect(await drain(database.db, resend, { now: T0, from: FROM })).toMatchObject({ failed: 1 });
    expect((await outboxRow(database.db, id!)).lastError).toMatch(/Invalid invitation email payload: url/);
    expect(fake.requests).toHaveLength(0);
  });

  it("local mailbox transport writes the message once and scrubs the link from the outbox", async () => {
    const local = createLocalMailboxTransport(database.db);
    const payload = invitationPayload(T0);
    const [id] = await enqueue(database.db, [{ to: "carol@example.test", kind: "invitation", payload }], T0);
    expect(await deliverIds(database.db, local, [id!], { now: T0, from: FROM })).toMatchObject({ sent: 1 });

    const mailbox = await database.db.select().from(mailboxMessages).where(eq(mailboxMessages.outboxId, id!));
    expect(mailbox).toHaveLength(1);
    expect(mailbox[0]).toMatchObject({ to: "carol@example.test", subject: "You're invited to join Embeddings Prod on Acme Vectors" });
    expect(mailbox[0]?.html).toContain(payload.url);
    expect(mailbox[0]?.text).toContain(payload.url);

    const row = await outboxRow(database.db, id!);
    expect(row).toMatchObject({ status: "sent", provider: "local", providerMessageId: mailbox[0]?.id, lastError: null });
    expect(row.payload).not.toHaveProperty("url");
    expect(JSON.stringify(row.payload)).not.toContain("inv-secret-token");

    // A reclaimed message handed to the mailbox again does not appear twice.
    const again = await local.send({ id: id!, to: "carol@example.test", from: FROM, subject: "s", html: "h", text: "t" });
    expect(again.providerMessageId).toBe(mailbox[0]?.id);
    expect(await database.db.select().from(mailboxMessages)).toHaveLength(1);
  });

  if (kind === "postgres") {
    // Only meaningful with several connections at once: PGlite runs one transaction at a time.
    it("two sweepers on separate pools deliver each of 100 messages exactly once", async () => {
      await fake.close();
      fake = await startFakeResend({ latencyMs: 3 }); // widens the window in which both hold claims
      resend = createResendTransport({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 30_000 });
      const ids = await enqueue(database.db, sampleMessages(100, T0), T0);
      const pools = [database.connectAgain(4), database.connectAgain(4)];
      const idles = pools.map(() => idleSignal());
      const done = idles.map((idle) => idle.next());
      for (const [i, pool] of pools.entries()) {
        sweepers.push(
          startSweeper(pool.db, resend, { intervalMs: HOUR, now: () => T0, limit: 5, from: FROM, onPass: idles[i]!.onPass, logger: quiet }),
        );
      }
      await Promise.all(done);

      const claimedBy = idles.map((idle) => idle.passes.reduce((n, p) => n + p.claimed, 0));
      expect(claimedBy.every((n) => n > 0)).toBe(true); // both really took part
      expect(claimedBy[0]! + claimedBy[1]!).toBe(100);
      expect(fake.requests).toHaveLength(100);
      expect(new Set(fake.requests.map((r) => r.idempotencyKey))).toEqual(new Set(ids));
      expect((await outboxRows(database.db)).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    });

    it("sixteen senders racing for the same rows never claim one row twice", async () => {
      const ids = await enqueue(database.db, sampleMessages(100, T0), T0);
      const pools = [database.connectAgain(8), database.connectAgain(8)];
      // Each sender takes a few rows at a time so that many claims overlap.
      const senders = Array.from({ length: 16 }, (_, i) => drain(pools[i % 2]!.db, resend, { now: T0, limit: 3, from: FROM }));
      const results = await Promise.all(senders);

      expect(results.reduce((n, r) => n + r.claimed, 0)).toBe(100);
      expect(results.filter((r) => r.claimed > 0).length).toBeGreaterThan(1);
      expect(fake.requests).toHaveLength(100);
      expect(new Set(fake.requests.map((r) => r.idempotencyKey))).toEqual(new Set(ids));
      expect((await outboxRows(database.db)).every((r) => r.status === "sent" && r.attempts === 1)).toBe(true);
    });
  }
});
