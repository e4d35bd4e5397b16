import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emailProblem, MAX_INVITE_ADDRESSES, normalizeEmail, parseEmailList, splitEmailList } from "@/lib/membership/email-list";
import { ZEmail } from "@/lib/membership/schemas";

describe("normalizeEmail", () => {
  it.each([
    ["Alice@Example.COM", "alice@example.com"],
    ["  bob@example.com\n", "bob@example.com"],
    ["\tCAROL@EXAMPLE.ORG ", "carol@example.org"],
    ["already@normal.io", "already@normal.io"],
  ])("%j → %j", (raw, normalized) => {
    expect(normalizeEmail(raw)).toBe(normalized);
  });
});

describe("splitEmailList", () => {
  it("splits on commas, semicolons, spaces, tabs and new lines, dropping empty parts", () => {
    expect(splitEmailList("a@x.io, b@x.io;c@x.io\nd@x.io\r\ne@x.io\tf@x.io  ,, ;\n")).toEqual([
      "a@x.io",
      "b@x.io",
      "c@x.io",
      "d@x.io",
      "e@x.io",
      "f@x.io",
    ]);
    expect(splitEmailList("")).toEqual([]);
    expect(splitEmailList(" ,; \n")).toEqual([]);
  });
});

describe("emailProblem", () => {
  const valid = [
    "a@b.co",
    "first.last+tag@sub.example.com",
    "o'brien@example.ie",
    "under_score@example-domain.org",
    "x@a-b.c-d.example",
    "1234567890@numbers.net",
    `${"l".repeat(64)}@example.com`,
    // 254 characters exactly.
    `a@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(56)}.com`,
  ];
  it.each(valid)("accepts %s", (email) => {
    expect(email.length).toBeLessThanOrEqual(254);
    expect(emailProblem(email)).toBeNull();
  });

  const refused: [string, string][] = [
    ["", "The address is empty"],
    [`a@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.${"e".repeat(57)}.com`, "The address is longer than 254 characters"],
    ["no-at.example.com", "The address has no @"],
    ["a@b@example.com", "The address has more than one @"],
    ["@example.com", "The address has nothing before the @"],
    [`${"l".repeat(65)}@example.com`, "The part before the @ is longer than 64 characters"],
    ["user@localhost", "The domain has no dot (for example example.com)"],
    [".user@example.com", "The address has a misplaced dot"],
    ["user.@example.com", "The address has a misplaced dot"],
    ["us..er@example.com", "The address has a misplaced dot"],
    ["user@-example.com", "The address contains characters that are not allowed"],
    ["user@example-.com", "The address contains characters that are not allowed"],
    ["user@exa_mple.com", "The address contains characters that are not allowed"],
    ["user@example..com", "The address contains characters that are not allowed"],
    ["user@.example.com", "The address contains characters that are not allowed"],
    ["user@example.com.", "The address contains characters that are not allowed"],
    ["us er@example.com", "The address contains characters that are not allowed"],
    ['"user"@example.com', "The address contains characters that are not allowed"],
    ["user@[127.0.0.1]", "The address contains characters that are not allowed"],
    ["émile@example.com", "The address contains characters that are not allowed"],
    ["user@exаmple.com", "The address contains characters that are not allowed"], // Cyrillic а
    ["user\u0000@example.com", "The address contains a control character"],
    ["a\u0007b@example.com", "The address contains a control character"],
    ["user@example.com\u007f", "The address contains a control character"],
    ["user\u0085@example.com", "The address contains a control character"], // C1 (NEL)
    ["\u0000", "The address contains a control character"],
    ["user＠example.com", "The address has no @"], // fullwidth @
    ["user@example.com\n", "The address contains a control character"],
    [`user@${"x".repeat(64)}.com`, "The address contains characters that are not allowed"], // label over 63
  ];
  it.each(refused)("refuses %j: %s", (email, reason) => {
    expect(emailProblem(email)).toBe(reason);
  });

  it("accepts every address fast-check generates (RFC-shaped), after normalizing", () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => emailProblem(normalizeEmail(email)) === null),
      { numRuns: 500 },
    );
  });
});

describe("parseEmailList", () => {
  it("normalizes, folds duplicates in first-seen order, and sorts valid from invalid with reasons", () => {
    const parsed = parseEmailList(["Bob@X.io, alice@x.io", "BOB@x.io\ncarol@x.io", "nope", "alice@X.IO;  nope ", "x@y"]);
    expect(parsed.valid).toEqual(["bob@x.io", "alice@x.io", "carol@x.io"]);
    expect(parsed.invalid).toEqual([
      { input: "nope", reason: "The address has no @" },
      { input: "x@y", reason: "The domain has no dot (for example example.com)" },
    ]);
  });

  it("shortens a long invalid entry to 80 characters for display", () => {
    const long = "z".repeat(100);
    const [entry] = parseEmailList([long]).invalid;
    expect(entry?.input).toHaveLength(78);
    expect(entry?.input.endsWith("…")).toBe(true);
    expect(entry?.reason).toBe("The address has no @");
  });

  it("refuses an address with a control character on its own, echoing it with U+FFFD in place of each one", () => {
    const parsed = parseEmailList(["a\u0000b@example.com", "ok@example.com", "c\u0085d\u001b@example.com"]);
    expect(parsed.valid).toEqual(["ok@example.com"]);
    expect(parsed.invalid).toEqual([
      { input: "a\ufffdb@example.com", reason: "The address contains a control character" },
      { input: "c\ufffdd\ufffd@example.com", reason: "The address contains a control character" },
    ]);
  });

  it("counts what the 50-address cap is applied to: distinct entries after folding", () => {
    const fifty = Array.from({ length: MAX_INVITE_ADDRESSES }, (_, i) => `u${i}@x.io`);
    const parsed = parseEmailList([fifty.join(","), fifty.map((e) => e.toUpperCase()).join("\n")]);
    expect(parsed.valid.length + parsed.invalid.length).toBe(50);
    expect(parseEmailList([...fifty, "u50@x.io"]).valid).toHaveLength(51);
  });

  const entry = fc.oneof(
    fc.emailAddress(),
    fc.string({ maxLength: 40 }),
    fc.emailAddress().map((e) => `  ${e.toUpperCase()} `),
  );

  it("property: valid addresses are normalized, unique and pass emailProblem; nothing is lost", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 30 }), (entries) => {
        const { valid, invalid } = parseEmailList(entries);
        expect(new Set(valid).size).toBe(valid.length);
        for (const e of valid) {
          expect(e).toBe(normalizeEmail(e));
          expect(emailProblem(e)).toBeNull();
        }
        for (const i of invalid) expect(emailProblem(normalizeEmail(i.input))).not.toBeNull();
        // Every part of the input is either a valid address or reported invalid.
        const normalizedParts = new Set(entries.flatMap(splitEmailList).map(normalizeEmail));
        expect(valid.length + invalid.length).toBe(normalizedParts.size);
        for (const e of valid) expect(normalizedParts.has(e)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("property: parsing is idempotent and case-insensitive", () => {
    fc.assert(
      fc.property(fc.array(fc.emailAddress(), { maxLength: 20 }), (emails) => {
        const once = parseEmailList(emails).valid;
        expect(parseEmailList(once).valid).toEqual(once);
        expect(parseEmailList([...emails, ...emails.map((e) => e.toUpperCase())]).valid).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});

describe("ZEmail", () => {
  it("normalizes a good address and refuses a bad or oversized one", () => {
    expect(ZEmail.parse("  Dana@Example.com ")).toBe("dana@example.com");
    expect(ZEmail.safeParse("dana@localhost").success).toBe(false);
    expect(ZEmail.safeParse(`${"a".repeat(1001)}@x.io`).success).toBe(false);
    expect(ZEmail.safeParse(42).success).toBe(false);
  });
});
