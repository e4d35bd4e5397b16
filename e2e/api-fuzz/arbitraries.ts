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
  fc.constantFrom("", " ", "a@b", "@example.com", "x".repeat(300), "名前@例え.jp", "a\u0000b@example.com", "'; drop table users; --", "<script>alert(1)</script>", "a@example.com, b@example.com\nc@example.com"),
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
