import { describe, expect, it } from "vitest";
import { openLink, SealError, sealContext, sealLink } from "./sealed";

const LINK = "https://console.example/invite/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
const CONTEXT = sealContext("invitation", "bob@example.test");

describe("sealed outbox links", () => {
  it("round-trips, and the stored form holds no part of the link", () => {
    const sealed = sealLink(LINK, CONTEXT, "secret-a");
    expect(sealed.startsWith("sealed:v1:")).toBe(true);
    expect(sealed).not.toContain("invite");
    expect(sealed).not.toContain("abcdefghijkl");
    expect(openLink(sealed, CONTEXT, "secret-a")).toBe(LINK);
    expect(sealLink(LINK, CONTEXT, "secret-a")).not.toBe(sealed);
  });

  it("refuses another secret, another recipient, a tampered byte, a plain link and a truncated value", () => {
    const sealed = sealLink(LINK, CONTEXT, "secret-a");
    expect(() => openLink(sealed, CONTEXT, "secret-b")).toThrow(SealError);
    expect(() => openLink(sealed, sealContext("invitation", "mallory@example.test"), "secret-a")).toThrow(SealError);
    expect(() => openLink(sealed, sealContext("sign_in", "bob@example.test"), "secret-a")).toThrow(SealError);
    const raw = Buffer.from(sealed.slice("sealed:v1:".length), "base64url");
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => openLink(`sealed:v1:${raw.toString("base64url")}`, CONTEXT, "secret-a")).toThrow(SealError);
    expect(() => openLink(LINK, CONTEXT, "secret-a")).toThrow(SealError);
    expect(() => openLink("sealed:v1:AAAA", CONTEXT, "secret-a")).toThrow(SealError);
  });
});
