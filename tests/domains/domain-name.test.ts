import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeDomain } from "@/lib/membership/domains/domain-name";
import { isPublicMailDomain } from "@/lib/membership/domains/public-mail-domains";
import { DomainError } from "@/lib/membership/errors";

describe("normalizeDomain", () => {
  it.each([
    ["Acme.COM", "acme.com"],
    ["  acme.com.  ", "acme.com"],
    ["eng.acme.co.uk", "eng.acme.co.uk"],
    ["bücher.de", "xn--bcher-kva.de"],
    ["ＡＣＭＥ.com", "acme.com"],
    ["xn--bcher-kva.de", "xn--bcher-kva.de"],
  ])("%j → %j", (input, expected) => {
    expect(normalizeDomain(input)).toBe(expected);
  });

  it.each(["gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com", "me.com", "aol.com"])(
    "knows %s as a public mail service",
    (d) => expect(isPublicMailDomain(d)).toBe(true),
  );
  it.each([
    "proton.me",
    "protonmail.com",
    "gmx.com",
    "gmx.de",
    "mail.com",
    "yandex.ru",
    "qq.com",
    "163.com",
    "zoho.com",
    "fastmail.com",
    "hey.com",
  ])("knows %s as a public mail service", (d) => expect(isPublicMailDomain(d)).toBe(true));
  it("does not take a look-alike for a public mail service", () => {
    expect(isPublicMailDomain("notgmail.com")).toBe(false);
    expect(isPublicMailDomain("gmail.com.acme.com")).toBe(false);
  });

  it("accepts any text only as a valid, stable name, and refuses everything else with INVALID", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.domain(), fc.webUrl(), fc.ipV4(), fc.ipV6(), fc.emailAddress()), (text) => {
        let out: string;
        try {
          out = normalizeDomain(text);
        } catch (err) {
          expect(err).toBeInstanceOf(DomainError);
          expect((err as DomainError).code).toBe("INVALID");
          return;
        }
        expect(out).toMatch(/^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/);
        expect(out.length).toBeLessThanOrEqual(253);
        expect(out).not.toMatch(/\.\d+$/);
        expect(normalizeDomain(out)).toBe(out);
        expect(normalizeDomain(out.toUpperCase() + ".")).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });
});
