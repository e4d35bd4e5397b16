import { describe, expect, it } from "vitest";
import { secondsLeft } from "./use-now";

describe("what is left of a wait the server counted", () => {
  it("counts down from the moment the data was read", () => {
    expect(secondsLeft(60, 1_000, 1_000)).toBe(60);
    expect(secondsLeft(60, 1_000, 6_500)).toBe(55);
    expect(secondsLeft(60, 1_000, 61_000)).toBe(0);
    expect(secondsLeft(60, 1_000, 99_000)).toBe(0);
  });

  it("is never more than the server said when the stepped clock reads earlier than the data", () => {
    // The clock ticks every 15 s and was last floored at 0; the data came 4.5 s later saying "no wait".
    expect(secondsLeft(0, 4_500, 0)).toBe(0);
    expect(secondsLeft(30, 14_000, 0)).toBe(30);
  });
});
