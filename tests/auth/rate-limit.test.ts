import { describe, expect, it } from "vitest";
import { consumeRateLimit } from "@/lib/rate-limit";
import { testTargets, useTestDatabase } from "../db";

describe.each(testTargets())("sign-in rate limit on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("allows the limit within a window, refuses the next, and opens again after the window", async () => {
    const t0 = new Date("2026-01-01T10:00:00Z");
    const key = `sign-in:email:${kind}@example.com`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await consumeRateLimit(database.db, key, 3, 15 * 60_000, new Date(t0.getTime() + i * 1000)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThan(14 * 60);
    const later = await consumeRateLimit(database.db, key, 3, 15 * 60_000, new Date(t0.getTime() + 16 * 60_000));
    expect(later.allowed).toBe(true);
  });

  it("counts each key separately", async () => {
    const now = new Date("2026-01-01T11:00:00Z");
    expect((await consumeRateLimit(database.db, "a", 1, 60_000, now)).allowed).toBe(true);
    expect((await consumeRateLimit(database.db, "a", 1, 60_000, now)).allowed).toBe(false);
    expect((await consumeRateLimit(database.db, "b", 1, 60_000, now)).allowed).toBe(true);
  });

  if (kind === "postgres") {
    it("holds across connections: 40 concurrent requests with a limit of 10 let exactly 10 through", async () => {
      const pools = [database.connectAgain(10), database.connectAgain(10)];
      const now = new Date("2026-01-01T12:00:00Z");
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => consumeRateLimit(pools[i % 2]!.db, "burst", 10, 60_000, now)));
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
    });
  }
});
