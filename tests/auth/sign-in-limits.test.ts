import { describe, expect, it } from "vitest";
import { clientKey, consumeSignInAllowance, type SignInLimits } from "@/lib/auth/sign-in-limits";
import { testTargets, useTestDatabase } from "../db";

const LIMITS: SignInLimits = {
  SIGN_IN_LIMIT_PER_ADDRESS: 3,
  SIGN_IN_ADDRESS_WINDOW_SECONDS: 300,
  SIGN_IN_LIMIT_PER_CLIENT: 30,
  SIGN_IN_LIMIT_GLOBAL_PER_MINUTE: 60,
  TRUSTED_PROXY_HOPS: 0,
};

describe("the client key for sign-in limits", () => {
  it("trusts no header by default, so a rotating X-Forwarded-For keys nothing", () => {
    expect(clientKey("1.2.3.4", 0)).toBeNull();
    expect(clientKey("1.2.3.4, 10.0.0.1", 0)).toBeNull();
  });
  it("takes the entry the trusted proxy appended, never one the client wrote", () => {
    expect(clientKey("6.6.6.6, 1.2.3.4", 1)).toBe("1.2.3.4");
    expect(clientKey("6.6.6.6, 1.2.3.4, 10.0.0.2", 2)).toBe("1.2.3.4");
    // Not through both proxies: no key rather than a forged one.
    expect(clientKey("1.2.3.4", 2)).toBeNull();
    expect(clientKey(null, 1)).toBeNull();
  });
});

describe.each(testTargets())("sign-in limits on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("counts +tag and case variants of one inbox together, and lets the person in again after a short cooldown", async () => {
    const t0 = new Date("2033-01-01T10:00:00Z");
    const variants = ["ann@example.com", "Ann+1@Example.com", "ann+2@example.com", "ANN+x@example.com"];
    const results = [];
    for (const [i, email] of variants.entries())
      results.push(await consumeSignInAllowance(database.db, { email, client: null }, LIMITS, new Date(t0.getTime() + i)));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    const refused = results[3]!;
    if (refused.allowed) throw new Error("expected a refusal");
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(300);
    expect(refused.message).toMatch(/for this address\. Try again in 5 minutes; a link already sent to you still works/);
    // Five minutes later, not fifteen: the stranger's requests have lapsed.
    expect(
      (await consumeSignInAllowance(database.db, { email: "ann@example.com", client: null }, LIMITS, new Date(t0.getTime() + 301_000)))
        .allowed,
    ).toBe(true);
  });

  it("holds a global ceiling per minute whatever the addresses, and a refused request counts against nothing", async () => {
    const t0 = new Date("2033-01-02T10:00:00Z");
    const limits = { ...LIMITS, SIGN_IN_LIMIT_GLOBAL_PER_MINUTE: 10 };
    const results = [];
    for (let i = 0; i < 15; i++)
      results.push(await consumeSignInAllowance(database.db, { email: `p${i}@example.org`, client: null }, limits, t0));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    // p12 was refused by the ceiling: its own address count was rolled back with it.
    const nextMinute = new Date(t0.getTime() + 60_000);
    for (let i = 0; i < 3; i++)
      expect((await consumeSignInAllowance(database.db, { email: "p12@example.org", client: null }, limits, nextMinute)).allowed).toBe(
        true,
      );
  });

  it("limits per client only with a trusted key; rotating forged entries do not help", async () => {
    const t0 = new Date("2033-01-03T10:00:00Z");
    const limits = { ...LIMITS, SIGN_IN_LIMIT_PER_CLIENT: 5, TRUSTED_PROXY_HOPS: 1 };
    const allowed = [];
    for (let i = 0; i < 8; i++) {
      const client = clientKey(`10.9.${i}.1, 203.0.113.7`, limits.TRUSTED_PROXY_HOPS);
      allowed.push((await consumeSignInAllowance(database.db, { email: `c${i}@example.net`, client }, limits, t0)).allowed);
    }
    expect(allowed.filter(Boolean)).toHaveLength(5);
  });
});
