import { describe, expect, it } from "vitest";
import { isLocalMailbox, isMailboxPageEnabled, parseEnv } from "./env";

describe("environment", () => {
  it("runs in development with nothing set: PGlite, local mailbox", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe(".data/pglite");
    expect(isLocalMailbox(env)).toBe(true);
    expect(isMailboxPageEnabled(env)).toBe(true);
  });

  it("names repeated statements unless DATABASE_NAMED_STATEMENTS is 0, and refuses another value", () => {
    expect(parseEnv({}).DATABASE_NAMED_STATEMENTS).toBe("1");
    expect(parseEnv({ DATABASE_NAMED_STATEMENTS: "0" }).DATABASE_NAMED_STATEMENTS).toBe("0");
    expect(() => parseEnv({ DATABASE_NAMED_STATEMENTS: "off" })).toThrow(/DATABASE_NAMED_STATEMENTS/);
  });

  it("refuses production without AUTH_SECRET or RESEND_API_KEY, naming both", () => {
    expect(() => parseEnv({ NODE_ENV: "production", APP_URL: "https://console.example.com" })).toThrow(
      /AUTH_SECRET is required in production[\s\S]*RESEND_API_KEY is required/,
    );
    expect(() => parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), RESEND_API_KEY: "re_1" })).toThrow(
      /APP_URL: is required in production/,
    );
  });

  it("lists every bad variable at once", () => {
    let message = "";
    try {
      parseEnv({ NODE_ENV: "production", OUTBOX_SWEEP_MS: "-1", TRUSTED_PROXY_HOPS: "many" });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ["APP_URL", "AUTH_SECRET", "RESEND_API_KEY", "OUTBOX_SWEEP_MS", "TRUSTED_PROXY_HOPS"])
      expect(message).toContain(`  ${name}: `);
  });

  it("has no local mailbox page in production, even when mail is local by the test-only switch", () => {
    const prod = parseEnv({
      NODE_ENV: "production",
      AUTH_SECRET: "x".repeat(32),
      RESEND_API_KEY: "re_123",
      APP_URL: "https://console.example.com",
    });
    expect(isLocalMailbox(prod)).toBe(false);
    expect(isMailboxPageEnabled(prod)).toBe(false);
    const e2e = parseEnv({
      NODE_ENV: "production",
      AUTH_SECRET: "x".repeat(32),
      ALLOW_LOCAL_MAILBOX_IN_PRODUCTION: "true",
      APP_URL: "http://127.0.0.1:3100",
    });
    expect(isMailboxPageEnabled(e2e)).toBe(true);
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        AUTH_SECRET: "x".repeat(32),
        ALLOW_LOCAL_MAILBOX_IN_PRODUCTION: "true",
        APP_URL: "https://console.example.com",
      }),
    ).toThrow(/for local tests only/);
  });

  it("treats empty strings as unset and rejects malformed values", () => {
    expect(parseEnv({ DATABASE_URL: "", RESEND_API_KEY: "" }).DATABASE_URL).toBeUndefined();
    expect(() => parseEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ OUTBOX_SWEEP_MS: "-5" })).toThrow(/OUTBOX_SWEEP_MS/);
  });

  it("refuses an APP_URL with a path", () => {
    expect(() => parseEnv({ APP_URL: "https://console.example.com/app" })).toThrow(/APP_URL: must be an origin without a path/);
    expect(parseEnv({ APP_URL: "https://console.example.com" }).APP_URL).toBe("https://console.example.com");
  });

  it("refuses both test-only loopback settings of webhooks in production unless APP_URL is on this machine", () => {
    const prod = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32), RESEND_API_KEY: "re_123" };
    for (const setting of ["1", "only"]) {
      expect(() => parseEnv({ ...prod, APP_URL: "https://console.example.com", WEBHOOK_ALLOW_LOOPBACK: setting })).toThrow(
        /WEBHOOK_ALLOW_LOOPBACK: is for local tests only/,
      );
      expect(parseEnv({ ...prod, APP_URL: "http://127.0.0.1:3100", WEBHOOK_ALLOW_LOOPBACK: setting }).WEBHOOK_ALLOW_LOOPBACK).toBe(setting);
    }
    expect(() => parseEnv({ WEBHOOK_ALLOW_LOOPBACK: "yes" })).toThrow(/WEBHOOK_ALLOW_LOOPBACK/);
  });
});
