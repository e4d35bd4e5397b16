import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isAcceptableActionJson, isTokenPath, MAX_ACTION_JSON_DEPTH, securityHeaders } from "./security-headers";

describe("security headers", () => {
  it("has no unsafe-eval in production, a nonce for scripts, and forbids framing", () => {
    const csp = contentSecurityPolicy("abc", { dev: false, https: false });
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy("abc", { dev: true, https: false })).toContain("'unsafe-eval'");
  });

  it("sends no referrer to other sites from pages whose URLs carry tokens, and HSTS only over https", () => {
    expect(isTokenPath("/invite/abc")).toBe(true);
    expect(isTokenPath("/sign-in/confirm")).toBe(true);
    expect(isTokenPath("/orgs")).toBe(false);
    expect(securityHeaders("/invite/x", { https: false })["Referrer-Policy"]).toBe("same-origin");
    expect(securityHeaders("/orgs", { https: false })["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(securityHeaders("/orgs", { https: false })).not.toHaveProperty("Strict-Transport-Security");
    expect(securityHeaders("/orgs", { https: true })["Strict-Transport-Security"]).toMatch(/max-age=\d+/);
    expect(securityHeaders("/orgs", { https: true })).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff" });
  });

  it("accepts action JSON, refuses text that is not JSON or nests too deeply", () => {
    expect(isAcceptableActionJson('[{"orgId":"a","emails":["x@y.z"]}]')).toBe(true);
    expect(isAcceptableActionJson('["[[[[ in a string is fine"]')).toBe(true);
    expect(isAcceptableActionJson("not json{")).toBe(false);
    expect(isAcceptableActionJson("[".repeat(50_000) + "]".repeat(50_000))).toBe(false);
    expect(isAcceptableActionJson("[".repeat(MAX_ACTION_JSON_DEPTH) + "]".repeat(MAX_ACTION_JSON_DEPTH))).toBe(true);
  });
});
