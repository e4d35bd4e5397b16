import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { like } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { rateLimits } from "@/db/schema";
import { inboxKey, reserveEmails, type EmailLimits, type EmailRequest } from "@/lib/membership/email-limits";
import { testTargets, useTestDatabase } from "../db";

/**
 * reserveEmails counts a whole batch in two statements. Its verdicts and counts must be exactly
 * those of counting the emails one after another in address order, each all or nothing — the
 * model below, which is that rule written out plainly.
 */

type Verdict = { ok: true } | { ok: false; key: string };

function model(counts: Map<string, number>, batch: EmailRequest[], sender: { inviterId: string; orgId: string }, limits: EmailLimits) {
  const verdicts = new Map<string, Verdict>();
  for (const request of [...batch].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0))) {
    const checks = [
      ...(request.extraKeys ?? []).map((k) => ({ key: k.key, limit: k.limit })),
      { key: `email:to:${inboxKey(request.to)}`, limit: limits.perRecipient },
      { key: `email:by:${sender.inviterId}`, limit: limits.perInviter },
      { key: `email:org:${sender.orgId}`, limit: limits.perOrganization },
    ];
    const full = checks.find((c) => (counts.get(c.key) ?? 0) >= c.limit);
    if (full) {
      verdicts.set(request.to, { ok: false, key: full.key });
      continue;
    }
    for (const c of checks) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
    verdicts.set(request.to, { ok: true });
  }
  return verdicts;
}

const T0 = new Date("2033-01-10T10:00:00.000Z");

describe.each(testTargets())("reserveEmails on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("gives the verdicts and leaves the counts of one-at-a-time counting, for any batches and limits", async () => {
    // A few inboxes, each under a few spellings (case, +tag), so batches share keys.
    const address = fc
      .tuple(fc.constantFrom("ann", "bob", "cy"), fc.constantFrom("", "+a", "+b"), fc.boolean())
      .map(([name, tag, upper]) => `${upper ? name.toUpperCase() : name}${tag}@example.test`);
    const batch = fc.uniqueArray(fc.record({ to: address, notice: fc.boolean() }), { selector: (r) => r.to, minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          perRecipient: fc.integer({ min: 1, max: 3 }),
          perInviter: fc.integer({ min: 1, max: 6 }),
          perOrganization: fc.integer({ min: 1, max: 8 }),
        }),
        fc.array(fc.record({ batch, inviter: fc.constantFrom("p", "q") }), { minLength: 1, maxLength: 4 }),
        async (caps, rounds) => {
          const limits: EmailLimits = { ...caps, windowMs: 3_600_000 };
          const run = randomUUID().slice(0, 8);
          const orgId = `org-${run}`;
          const counts = new Map<string, number>();
          for (const round of rounds) {
            const sender = { inviterId: `${round.inviter}-${run}`, orgId };
            const requests: EmailRequest[] = round.batch.map((r) => ({
              to: `${run}.${r.to}`,
              extraKeys: r.notice ? [{ key: `email:added:${run}:${inboxKey(r.to)}`, limit: 1, reason: "Already notified" }] : [],
            }));
            const expected = model(counts, requests, sender, limits);
            const actual = await database.db.transaction((tx) => reserveEmails(tx, requests, sender, limits, T0));
            for (const [to, verdict] of expected) {
              const got = actual.get(to)!;
              expect(got.ok, to).toBe(verdict.ok);
              if (!verdict.ok && !got.ok) expect(got.retryAfterSeconds).toBe(3600);
            }
          }
          const rows = await database.db
            .select({ key: rateLimits.key, count: rateLimits.count })
            .from(rateLimits)
            .where(like(rateLimits.key, `%${run}%`));
          const stored = new Map(rows.map((r) => [r.key, r.count]));
          for (const [key, n] of counts) expect(stored.get(key) ?? 0, key).toBe(n);
          for (const [key, n] of stored) expect(n, key).toBe(counts.get(key) ?? 0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("names the limit that refused, with its own reason", async () => {
    const run = randomUUID().slice(0, 8);
    const limits: EmailLimits = { perRecipient: 1, perInviter: 2, perOrganization: 10, windowMs: 3_600_000 };
    const sender = { inviterId: `p-${run}`, orgId: `org-${run}` };
    const verdicts = await database.db.transaction((tx) =>
      reserveEmails(
        tx,
        [{ to: `a-${run}@x.test` }, { to: `A-${run}+2@x.test` }, { to: `b-${run}@x.test` }, { to: `c-${run}@x.test` }],
        sender,
        limits,
        T0,
      ),
    );
    // In address order: A+2 first, then a (same inbox), b, c (the inviter's third).
    expect(verdicts.get(`A-${run}+2@x.test`)).toEqual({ ok: true });
    expect(verdicts.get(`a-${run}@x.test`)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(`a-${run}@x.test was sent 1 invitations or notices recently. Try again in 60 minutes`),
    });
    expect(verdicts.get(`b-${run}@x.test`)).toEqual({ ok: true });
    expect(verdicts.get(`c-${run}@x.test`)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("You sent 2 invitations or notices recently"),
    });
  });
});
