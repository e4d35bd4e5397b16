import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DomainError } from "./errors";
import { MAX_NAME_LENGTH, validName, zName, type NameKind } from "./names";

const KINDS: NameKind[] = ["organization", "project", "key", "display", "connection"];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCharCode(from + i));
// Every character the rule refuses wherever it stands, in every kind of name.
const C0 = range(0x00, 0x1f);
const C1 = [...range(0x7f, 0x9f), "\u2028", "\u2029"];
const BIDI = ["\u061c", "\u200e", "\u200f", ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const INVISIBLE = [
  "\u200b",
  "\u200c",
  "\u200d",
  "\u2060",
  "\ufeff",
  "\u0301",
  " ",
  "\u00a0",
  "\u3000",
  "\u3164",
  "\u115f",
  "\u1160",
  "\uffa0",
  "\u2800",
  "\u00ad",
];

const refusal = (raw: unknown, kind: NameKind) => {
  try {
    validName(raw, kind);
    return null;
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).message;
  }
};

describe("the one name rule", () => {
  it("keeps ordinary names of any script, trimmed", () => {
    for (const kind of KINDS) {
      for (const name of ["Search Prod", "Ünïcödé", "検索 本番", "بحث", "Q&A (2027)", "👩‍💻 team", "x".repeat(MAX_NAME_LENGTH)])
        expect(validName(`  ${name} `, kind)).toBe(name);
    }
  });

  it("refuses every C0, C1 and text-direction character in any position, for every kind of name", () => {
    const refused = () => [...C0, ...C1, ...BIDI];
    fc.assert(
      fc.property(
        fc.constantFrom(...KINDS),
        fc.string({ maxLength: 30 }),
        fc.string({ maxLength: 30 }),
        fc.nat(),
        (kind, before, after, pick) => {
          const chars = refused();
          const bad = chars[pick % chars.length]!;
          expect(refusal(`a${before}${bad}${after}b`, kind)).not.toBeNull();
        },
      ),
      { numRuns: 500 },
    );
    for (const kind of KINDS)
      for (const bad of refused())
        expect(refusal(`Na${bad}me`, kind), `U+${bad.charCodeAt(0).toString(16)} in a ${kind} name`).not.toBeNull();
  });

  it("refuses a name with nothing to see: zero-width, combining marks, spaces, Hangul fillers or the Braille blank only", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.array(fc.constantFrom(...INVISIBLE), { minLength: 1, maxLength: 10 }), (kind, chars) => {
        expect(refusal(chars.join(""), kind)).not.toBeNull();
      }),
    );
    expect(refusal("\u200b\u200b", "project")).toBe("A project name needs at least one letter, number or symbol that can be seen.");
    expect(refusal("\u3164", "organization")).toBe("An organization name needs at least one letter, number or symbol that can be seen.");
    // A display name's tab or line break is a control character too, not a space to fold.
    expect(refusal("Al\tice", "display")).toBe("A display name cannot contain control characters or line breaks.");
    expect(validName("Ann   Lee", "display")).toBe("Ann Lee");
  });

  it("says which rule a name broke, naming the field", () => {
    expect(refusal("x".repeat(MAX_NAME_LENGTH + 1), "organization")).toBe(`An organization name has 1 to ${MAX_NAME_LENGTH} characters.`);
    expect(refusal("a\u0085b", "key")).toBe("A key name cannot contain control characters or line breaks.");
    expect(refusal("txt\u202eexe", "project")).toBe("A project name cannot contain text-direction characters (such as U+202E).");
    expect(refusal(42, "display")).toBe(`A display name has 1 to ${MAX_NAME_LENGTH} characters.`);
  });

  it("the zod form of the rule agrees with the domain's on every input", () => {
    const alphabet = fc.constantFrom("a", "Z", "7", " ", "\t", "\n", "\u0085", "\u009b", "\u202e", "\u200b", "\u0301", "é", "-");
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.array(alphabet, { maxLength: 90 }), (kind, chars) => {
        const raw = chars.join("");
        const parsed = zName(kind).safeParse(raw);
        const message = refusal(raw, kind);
        expect(parsed.success).toBe(message === null);
        if (!parsed.success) expect(parsed.error.issues[0]!.message).toBe(message);
      }),
      { numRuns: 500 },
    );
  });
});
