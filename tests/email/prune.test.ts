import { randomUUID } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox, mailboxMessages, rateLimits, sessions, users, verificationTokens } from "@/db/schema";
import { claimDue } from "@/lib/email/deliver";
import { startSweeper } from "@/lib/email/sweeper";
import type { Transport } from "@/lib/email/transport";
import { pruneExpired, type PruneResult } from "@/lib/prune";
import { testTargets, useTestDatabase } from "../db";
import { after, enqueue, sampleMessages, T0 } from "./helpers";

const DAY = 24 * 3_600_000;

describe.each(testTargets())("pruning on %s", (kind) => {
  const database = useTestDatabase(kind);

  async function seed(now: Date) {
    const db = database.db;
    const tag = randomUUID().slice(0, 8);
    await db.insert(rateLimits).values([
      { key: `old-${tag}`, windowStart: after(now, -2 * DAY), count: 3, expiresAt: after(now, -DAY) },
      { key: `live-${tag}`, windowStart: now, count: 1, expiresAt: after(now, 60_000) },
    ]);
    const [oldSent, newSent, oldPending] = await enqueue(db, sampleMessages(3, now), after(now, -10 * DAY));
    await db
      .update(emailOutbox)
      .set({ status: "sent", createdAt: after(now, -10 * DAY) })
      .where(eq(emailOutbox.id, oldSent!));
    await db.update(emailOutbox).set({ status: "sent", createdAt: now }).where(eq(emailOutbox.id, newSent!));
    await db
      .update(emailOutbox)
      .set({ createdAt: after(now, -10 * DAY) })
      .where(eq(emailOutbox.id, oldPending!));
    await db.insert(mailboxMessages).values([
      { outboxId: randomUUID(), to: "a@example.test", subject: "old", html: "", text: "", createdAt: after(now, -8 * DAY) },
      { outboxId: randomUUID(), to: "a@example.test", subject: "new", html: "", text: "", createdAt: now },
    ]);
    await db.insert(verificationTokens).values([
      { identifier: `old-${tag}@example.test`, token: `t-old-${tag}`, expires: after(now, -1000) },
      { identifier: `new-${tag}@example.test`, token: `t-new-${tag}`, expires: after(now, 15 * 60_000) },
    ]);
    const userId = randomUUID();
    await db.insert(users).values({ id: userId, email: `pruned-${tag}@example.test` });
    await db.insert(sessions).values([
      { sessionToken: `s-old-${tag}`, userId, expires: after(now, -1000) },
      { sessionToken: `s-new-${tag}`, userId, expires: after(now, DAY) },
    ]);
    return { tag, oldSent: oldSent!, newSent: newSent!, oldPending: oldPending! };
  }

  it("deletes ended limits, old mailbox messages, expired tokens and sessions; scrubs old delivered payloads but keeps the rows", async () => {
    const now = after(T0, 100 * DAY);
    const s = await seed(now);
    const result = await pruneExpired(database.db, { now });
    expect(result).toMatchObject({ rateLimits: 1, outboxPayloads: 1, mailboxMessages: 1, verificationTokens: 1, sessions: 1 });
    const db = database.db;
    expect((await db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key)).toContain(`live-${s.tag}`);
    const outbox = await db
      .select()
      .from(emailOutbox)
      .where(inArray(emailOutbox.id, [s.oldSent, s.newSent, s.oldPending]));
    const byId = new Map(outbox.map((r) => [r.id, r]));
    expect(byId.get(s.oldSent)).toMatchObject({ status: "sent", payload: {} });
    expect(Object.keys(byId.get(s.newSent)!.payload).length).toBeGreaterThan(0);
    // Undelivered mail keeps what it needs to be sent.
    expect(byId.get(s.oldPending)!.payload).toHaveProperty("url");
    expect((await db.select({ subject: mailboxMessages.subject }).from(mailboxMessages)).map((m) => m.subject)).toEqual(["new"]);
    expect((await db.select({ token: verificationTokens.token }).from(verificationTokens)).map((t) => t.token)).toContain(`t-new-${s.tag}`);
    expect((await db.select({ token: sessions.sessionToken }).from(sessions)).map((t) => t.token)).toEqual([`s-new-${s.tag}`]);
    // A second prune finds nothing more.
    expect(await pruneExpired(database.db, { now })).toEqual({
      rateLimits: 0,
      outboxPayloads: 0,
      mailboxMessages: 0,
      verificationTokens: 0,
      sessions: 0,
      idempotencyKeys: 0,
      ssoAttempts: 0,
      samlAssertionIds: 0,
    });
  });

  it("the sweeper prunes as it sweeps", async () => {
    const now = after(T0, 200 * DAY);
    await seed(now);
    const transport: Transport = { name: "test", send: async () => ({ providerMessageId: "x" }) };
    let resolve!: (r: PruneResult) => void;
    const pruned = new Promise<PruneResult>((r) => (resolve = r));
    const sweeper = startSweeper(database.db, transport, { intervalMs: 3_600_000, now: () => now, onPrune: resolve });
    const result = await pruned;
    await sweeper.stop();
    expect(result.sessions).toBeGreaterThanOrEqual(1);
    expect(result.rateLimits).toBeGreaterThanOrEqual(1);
  });

  if (kind === "postgres") {
    it("a second sweeper does not wait behind rows the first one holds (SKIP LOCKED)", async () => {
      const now = after(T0, 300 * DAY);
      const ids = await enqueue(database.db, sampleMessages(6, now), now);
      const first = database.connectAgain(1);
      const second = database.connectAgain(1);
      // If the second sweeper waited on a lock, this turns the wait into an error instead of a hang.
      await second.db.execute(sql`set lock_timeout = '10s'`);
      let secondClaimed: string[] = [];
      await first.db.transaction(async (tx) => {
        // The first sweeper holds three rows mid-claim.
        const held = await tx.execute(
          sql`select id from email_outbox where id in (${sql.join(
            ids.slice(0, 3).map((id) => sql`${id}::uuid`),
            sql`, `,
          )}) for update`,
        );
        expect((held as unknown as { rows: unknown[] }).rows).toHaveLength(3);
        const claimed = await claimDue(second.db, { now, limit: 100, ids });
        secondClaimed = claimed.map((c) => c.id);
      });
      expect(secondClaimed.sort()).toEqual(ids.slice(3).sort());
    });
  }
});
