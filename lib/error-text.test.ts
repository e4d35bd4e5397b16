import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { errorText } from "./error-text";

describe("errorText", () => {
  const link = "http://console.test/invite/Vsu0VbUU0JaI7lBzkDv5Ej_AsIrmGAFfs4H9dwBFF6M";
  const failed = new DrizzleQueryError(
    "update api_idempotency_keys set body = $1 where key = $2",
    [JSON.stringify({ url: link }), "k"],
    Object.assign(new Error("storage refused"), { code: "P0001" }),
  );

  it("keeps the statement and the driver's reason, never the query's values", () => {
    expect(errorText(failed)).toBe(
      "Failed query: update api_idempotency_keys set body = $1 where key = $2 (caused by Error P0001: storage refused)",
    );
    expect(errorText(failed, { stack: true })).not.toContain("/invite/");
    expect(errorText(failed, { stack: true })).toMatch(/\n\s+at /);
  });

  it("takes no frame from inside the message: a value there shaped like a frame stays out", () => {
    const sneaky = new DrizzleQueryError("select $1", [`x\n    at ${link}`], new Error("boom"));
    expect(errorText(sneaky, { stack: true })).not.toContain("/invite/");
  });

  it("passes other errors through as their message (with their name and frames for a log)", () => {
    expect(errorText(new TypeError("x is not a function"))).toBe("x is not a function");
    expect(errorText(new TypeError("x is not a function"), { stack: true })).toMatch(/^TypeError: x is not a function\n\s+at /);
    expect(errorText("plain")).toBe("plain");
    expect(errorText({ secret: link })).toBe("A non-Error value was thrown");
  });
});
