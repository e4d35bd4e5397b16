import { describe, expect, it } from "vitest";
import { expiryLabel } from "@/lib/membership/invitations/invitation-rules";
import { endOfUtcDay, formatDate, formatDateTimeUtc, timeAgo, timeLeftWords } from "./time";

const T = new Date("2026-11-30T08:00:00Z");
const plus = (ms: number) => new Date(T.getTime() + ms);

describe("the one time formatter", () => {
  it("rounds the time left up to the unit it names, as the pending list does (110 minutes is 2 hours)", () => {
    expect(timeLeftWords(plus(110 * 60_000), T)).toBe("2 hours");
    expect(expiryLabel(plus(110 * 60_000), T)).toBe("Expires in 2 hours");
    expect(timeLeftWords(plus(59 * 60_000), T)).toBe("59 minutes");
    expect(timeLeftWords(plus(0), T)).toBeNull();
  });

  it.each([
    [30 * 1000, "just now"],
    [-30 * 1000, "just now"],
    [-90 * 1000, "1 minute ago"],
    [-5 * 60_000, "5 minutes ago"],
    [-3 * 3_600_000, "3 hours ago"],
    [-25 * 3_600_000, "yesterday"],
    [-3 * 86_400_000, "3 days ago"],
  ])("timeAgo %i ms → %s", (offset, words) => {
    expect(timeAgo(plus(offset), T)).toBe(words);
  });

  it("dates are in UTC, so server and browser print the same day", () => {
    expect(formatDate("2026-11-30T23:59:00Z")).toBe("Nov 30, 2026");
    expect(formatDateTimeUtc(new Date("2026-11-30T08:41:00Z"))).toBe("Nov 30, 2026, 8:41 AM UTC");
  });

  it("a day is the end of that day in UTC, and a day that does not exist is no day (not rolled over into the next month)", () => {
    expect(endOfUtcDay("2027-02-28")).toEqual(new Date("2027-02-28T23:59:59.999Z"));
    expect(endOfUtcDay("2028-02-29")).toEqual(new Date("2028-02-29T23:59:59.999Z"));
    expect(endOfUtcDay("0050-01-01")?.toISOString()).toBe("0050-01-01T23:59:59.999Z");
    for (const day of [
      "2027-02-31",
      "2027-02-29",
      "2027-04-31",
      "2027-13-01",
      "2027-00-10",
      "2027-01-00",
      "2027-1-1",
      "2027-01-01T00:00",
      "tomorrow",
      "",
    ]) {
      expect(endOfUtcDay(day), day).toBeNull();
    }
  });
});
