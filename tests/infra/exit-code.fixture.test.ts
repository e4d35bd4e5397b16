import { expect, it } from "vitest";

// A fixture for tests/infra/embedded-postgres.test.ts: it fails only when that test asks it to,
// to prove that a failing run through `npm test` exits non-zero.
it("fails when MC_FAIL_ON_PURPOSE is set, and only then", () => {
  expect(process.env.MC_FAIL_ON_PURPOSE ?? "").toBe("");
});
