import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { loggableError } from "./loggable-error";

describe("loggableError", () => {
  it("keeps the statement and the database's code but withholds the parameters", () => {
    const cause = Object.assign(new Error("unsupported Unicode escape sequence"), { code: "22P05" });
    const err = new DrizzleQueryError('insert into "api_idempotency_keys" values ($1, $2)', ["k", '{"url":"https://x.test/invite/SECRETTOKEN_abcdefghijklmnopqrstuvwxyz"}'], cause);
    const line = loggableError(err);
    expect(line).toContain('insert into "api_idempotency_keys"');
    expect(line).toContain("22P05");
    expect(line).toContain("params: [withheld]");
    expect(line).not.toContain("SECRETTOKEN");
  });

  it("says what was thrown when it is not an Error", () => {
    expect(loggableError("mck_secret")).toBe("non-error thrown: string");
  });
});
