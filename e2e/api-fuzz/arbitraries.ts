import fc from "fast-check";

/**
 * fast-check arbitraries from JSON Schema 2020-12 (the subset zod's `toJSONSchema` emits): the
 * data a schema accepts, and data that breaks it in one place. Used by the API fuzz run, the
 * stand-in for Schemathesis (which cannot be installed on this machine: no PyPI).
 */
export type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  anyOf?: Schema[];
  oneOf?: Schema[];
  additionalProperties?: boolean | Schema;
  default?: unknown;
};

/** Strings that matter to this API: addresses (good, odd, hostile) and names. */
const interestingStrings = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(
    "",
    " ",
    "a@b",
    "@example.com",
    "x".repeat(300),
    "名前@例え.jp",
    "a\u0000b@example.com",
    "'; drop table users; --",
    "<script>alert(1)</script>",
    "a@example.com, b@example.com\nc@example.com",
  ),
  fc.string({ maxLength: 60 }),
);

/** Values a schema accepts. `hints` supplies real values (ids) for named properties. */
export function valid(schema: Schema, hints: Record<string, fc.Arbitrary<unknown>> = {}, name?: string): fc.Arbitrary<unknown> {
  if (name && hints[name]) return hints[name]!;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valid(s, hints, name)));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ["string"];
  return fc.oneof(...types.map((t) => validOfType(t, schema, hints)));
}

function validOfType(type: string, schema: Schema, hints: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  switch (type) {
    case "null":
      return fc.constant(null);
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 });
    case "number":
      return fc.double({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000, noNaN: true });
    case "array": {
      const min = schema.minItems ?? 0;
      return fc.array(valid(schema.items ?? {}, hints), { minLength: min, maxLength: Math.min(schema.maxItems ?? 5, min + 5) });
    }
    case "object": {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, s] of Object.entries(props)) record[key] = valid(s, hints, key);
      return fc.record(record, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
    }
    default: {
      const min = schema.minLength ?? 0;
      const max = schema.maxLength ?? 80;
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
      return interestingStrings.filter((s) => s.length >= min && s.length <= max);
    }
  }
}

/** Values that break the schema somewhere: a wrong type, a missing required field, an out-of-range value, or any JSON. */
export function invalid(schema: Schema, hints: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(null, 0, "text", [], true)];
  if (schema.type === "object" && schema.properties) {
    const keys = Object.keys(schema.properties);
    const base = valid(schema, hints) as fc.Arbitrary<Record<string, unknown>>;
    options.push(
      fc.tuple(base, fc.constantFrom(...keys), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined))).map(([v, k, bad]) => {
        const copy = { ...v };
        if (bad === undefined) delete copy[k];
        else copy[k] = bad;
        return copy;
      }),
    );
  }
  return fc.oneof(...options);
}

/** Characters no name or address may carry: C0 and C1 controls, line separators, text-direction controls. */
export const REFUSED_CHARACTERS: readonly string[] = [
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)),
  ...Array.from({ length: 0x21 }, (_, i) => String.fromCharCode(0x7f + i)),
  "\u2028",
  "\u2029",
  "\u061c",
  "\u200e",
  "\u200f",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];
/** Characters that draw nothing: allowed inside a visible name (emoji and some scripts need joiners), never as all of it. */
export const INVISIBLE_CHARACTERS: readonly string[] = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3164", "\u2800", "\u00ad"];
export const HOSTILE_CHARACTERS: readonly string[] = [...REFUSED_CHARACTERS, ...INVISIBLE_CHARACTERS];

/** Strings with hostile characters anywhere among ordinary ones, and strings made of nothing else. */
export const hostileString = fc.oneof(
  fc.string({
    unit: fc.oneof(fc.constantFrom(...HOSTILE_CHARACTERS), fc.constantFrom("a", "b", " ", "@", ".")),
    minLength: 1,
    maxLength: 20,
  }),
  fc
    .tuple(fc.constantFrom(...HOSTILE_CHARACTERS), fc.constantFrom("Project", "ann@example.com", "x"))
    .map(([c, s]) => `${s.slice(0, 1)}${c}${s.slice(1)}`),
);

/** Timestamps in the cursor's documented text form, valid but for at most one field out of range. */
const TIMESTAMP_FIELDS = {
  y: ["2026", "0000", "9999", "10000", "-001"],
  mo: ["11", "00", "13", "99"],
  d: ["30", "00", "31", "32"],
  h: ["11", "24", "99"],
  mi: ["15", "60"],
  s: ["21", "60", "61"],
  frac: [".123456", "", ".1234567", "."],
  tz: ["+00", "+99", "+16", "-00:99", "+15:59", "+15:59:59", "+15:59:60", "-16", "+14:60", "+00:00:99", "Z", ""],
} as const;
type TimestampField = keyof typeof TIMESTAMP_FIELDS;
const forgedTimestamp = fc
  .tuple(
    fc.constantFrom<TimestampField | "none">("none", "tz", "tz", "tz", ...(Object.keys(TIMESTAMP_FIELDS) as TimestampField[])),
    fc.nat(),
  )
  .map(([broken, n]) => {
    const f = Object.fromEntries(
      Object.entries(TIMESTAMP_FIELDS).map(([name, values]) => [
        name,
        name === broken ? values[1 + (n % (values.length - 1))]! : values[0],
      ]),
    ) as Record<TimestampField, string>;
    return `${f.y}-${f.mo}-${f.d} ${f.h}:${f.mi}:${f.s}${f.frac}${f.tz}`;
  });

const LISTS = ["collaborators", "invitations", "org-invitations", "activity", "org-activity", "org-members"];

/** Cursors built from the documented format (base64url of `{ l, d, k, i }`) with out-of-range or hostile fields. */
export const forgedCursor = fc
  .record({
    l: fc.oneof(fc.constantFrom(...LISTS), fc.string({ maxLength: 8 })),
    d: fc.constantFrom("a", "b", "c", ""),
    k: fc.array(
      fc.oneof(
        forgedTimestamp,
        fc.uuid(),
        fc.constantFrom("admin", "read_only", "owner", "member", "nope"),
        hostileString,
        fc.string({ maxLength: 20 }),
        fc.integer(),
        fc.constant(null),
      ),
      { maxLength: 3 },
    ),
    i: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(1e12, 1.5, -0, Number.MAX_SAFE_INTEGER), fc.constant("7")),
  })
  .map((c) => Buffer.from(JSON.stringify(c), "utf8").toString("base64url"));

/**
 * Cursors of one list that are well-formed but for one field: the right list name, direction and
 * key shape, with a timestamp, id, role, address or position out of range (or all fields valid).
 */
export function cursorFor(list: string): fc.Arbitrary<string> {
  const byTime = list.endsWith("invitations") || list.endsWith("activity");
  const roles = list === "org-members" ? ["owner", "member"] : ["admin", "read_write", "read_only"];
  const first = byTime ? forgedTimestamp : fc.oneof(fc.constantFrom(...roles), fc.constantFrom("nope", ""), hostileString);
  const second = byTime
    ? fc.oneof({ arbitrary: fc.uuid(), weight: 4 }, { arbitrary: fc.string({ maxLength: 40 }), weight: 1 })
    : fc.oneof(fc.emailAddress(), hostileString, fc.string({ maxLength: 1200 }));
  // One field at a time is out of range (or none), so the broken one is what the server meets.
  return fc
    .record({
      broken: fc.constantFrom("none", "l", "d", "k", "k", "k", "k", "i"),
      l: fc.constantFrom(...LISTS),
      d: fc.constantFrom("c", "", "A"),
      k: fc.tuple(first, second),
      i: fc.constantFrom(-1, 1.5, 1e12, "7"),
      at: fc.integer({ min: 0, max: 200 }),
      dir: fc.constantFrom("a", "b"),
    })
    .map((c) => ({
      l: c.broken === "l" ? c.l : list,
      d: c.broken === "d" ? c.d : c.dir,
      k:
        c.broken === "k"
          ? c.k
          : byTime
            ? ["2026-11-30 11:15:21.123456+00", "00000000-0000-4000-8000-000000000001"]
            : [roles[0], "ann@example.com"],
      i: c.broken === "i" ? c.i : c.at,
    }))
    .map((c) => Buffer.from(JSON.stringify(c), "utf8").toString("base64url"));
}
