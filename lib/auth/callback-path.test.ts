import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-path";

describe("safeCallbackPath", () => {
  it.each([
    ["/orgs/a/projects", "/orgs/a/projects"],
    ["/invite/abc?x=1#y", "/invite/abc?x=1#y"],
    ["/", "/"],
  ])("keeps same-site path %s", (input, expected) => {
    expect(safeCallbackPath(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/a/..//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "https://evil.example/orgs",
    "javascript:alert(1)",
    "evil.example",
    "",
    null,
    undefined,
    `/${"a".repeat(3000)}`,
  ])("refuses %j", (input) => {
    expect(safeCallbackPath(input as string)).toBe("/orgs");
  });
});
