import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  expiryLabel,
  invitationExpiry,
  INVITATION_TTL_MS,
  isExpired,
  ORG_SEAT_LIMIT,
  RESEND_COOLDOWN_MS,
  resendWaitSeconds,
} from "@/lib/membership/invitations/invitation-rules";
import { generateInvitationToken, hashInvitationToken, isWellFormedToken } from "@/lib/membership/tokens";

const T = new Date("2031-01-01T12:00:00.000Z");
const plus = (ms: number) => new Date(T.getTime() + ms);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe("invitation rules", () => {
  it("uses the spec's numbers: 48 h, one resend a minute, 1,000 seats", () => {
    expect(INVITATION_TTL_MS).toBe(48 * HOUR);
    expect(RESEND_COOLDOWN_MS).toBe(MIN);
    expect(ORG_SEAT_LIMIT).toBe(1000);
    expect(invitationExpiry(T)).toEqual(plus(48 * HOUR));
  });

  it("an invitation is expired from its expiry instant on", () => {
    expect(isExpired(plus(1), T)).toBe(false);
    expect(isExpired(T, T)).toBe(true);
    expect(isExpired(plus(-1), T)).toBe(true);
  });

  it.each([
    [48 * HOUR, "Expires in 48 hours"],
    [47 * HOUR + 1, "Expires in 48 hours"],
    [47 * HOUR, "Expires in 47 hours"],
    [2 * HOUR, "Expires in 2 hours"],
    [HOUR + 1, "Expires in 2 hours"],
    [HOUR, "Expires in 1 hour"],
    [59 * MIN + 1, "Expires in 1 hour"],
    [59 * MIN, "Expires in 59 minutes"],
    [2 * MIN, "Expires in 2 minutes"],
    [MIN, "Expires in 1 minute"],
    [1_000, "Expires in 1 minute"],
    [1, "Expires in 1 minute"],
    [0, "Expired"],
    [-1, "Expired"],
    [-72 * HOUR, "Expired"],
  ])("expiryLabel with %i ms left → %s", (left, label) => {
    expect(expiryLabel(plus(left), T)).toBe(label);
  });

  it("property: the label rounds the time left up to the unit it names, and says Expired exactly when expired", () => {
    fc.assert(
      fc.property(fc.integer({ min: -100 * HOUR, max: 100 * HOUR }), (left) => {
        const label = expiryLabel(plus(left), T);
        if (left <= 0) return label === "Expired";
        if (left > HOUR) return label === `Expires in ${Math.ceil(left / HOUR)} hours`;
        if (left > 59 * MIN) return label === "Expires in 1 hour";
        const minutes = Math.ceil(left / MIN);
        return label === `Expires in ${minutes} minute${minutes === 1 ? "" : "s"}`;
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    [0, 60],
    [1, 60],
    [30_000, 30],
    [59_001, 1],
    [60_000, 0],
    [3_600_000, 0],
  ])("resendWaitSeconds %i ms after sending → %i s", (elapsed, wait) => {
    expect(resendWaitSeconds(T, plus(elapsed))).toBe(wait);
  });
});

describe("invitation tokens", () => {
  it("are 32 random bytes in base64url, and only their SHA-256 is kept", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { token, tokenHash } = generateInvitationToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
      expect(tokenHash).toBe(createHash("sha256").update(token).digest("base64url"));
      expect(hashInvitationToken(token)).toBe(tokenHash);
      expect(isWellFormedToken(token)).toBe(true);
      seen.add(token);
    }
    expect(seen.size).toBe(200);
  });

  it("isWellFormedToken refuses wrong lengths, alphabets and non-strings whose text looks like a token", () => {
    const token = generateInvitationToken().token;
    for (const bad of [
      token.slice(1),
      `${token}A`,
      `${token}=`,
      token.replace(/^./, "+"),
      ` ${token}`,
      `${token}\n`,
      "",
      null,
      undefined,
      43,
      [token],
      { toString: () => token },
    ]) {
      expect(isWellFormedToken(bad as never), String(bad)).toBe(false);
    }
  });
});
