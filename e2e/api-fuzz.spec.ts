import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import Ajv2020 from "ajv/dist/2020.js";
import fc from "fast-check";
import {
  cursorFor,
  forgedCursor,
  hostileString,
  HOSTILE_CHARACTERS,
  INVISIBLE_CHARACTERS,
  invalid,
  REFUSED_CHARACTERS,
  valid,
  type Schema,
} from "./api-fuzz/arbitraries";
import { KEY_KINDS } from "../tests/shared-fixtures";
import { sql } from "./db";

/**
 * The HTTP API fuzzed from outside, against the production build, from nothing but its served
 * OpenAPI document: every operation with a key of each kind, generated valid and invalid path
 * parameters, queries, bodies and headers, and stateful sequences along the document's links.
 * Asserts no response with status >= 500 and none that breaks the document (an undocumented
 * status, content type or body). Schemathesis would be the tool; it cannot be installed here
 * (no PyPI), so this is its closest equivalent with fast-check and ajv.
 *
 * Reaching the classes of fault found by hand before: cursors built from the documented format
 * with out-of-range fields, strings with every control, bidi and invisible character (each one
 * also sent on purpose in every string field of every body), an Idempotency-Key on most POSTs and
 * the same request sent twice, keys of every scope. Besides 5xx and the document, it fails on any
 * secret (a key, an invitation link) found in the idempotency store or the server's log, and on
 * any stored name or address with a refused character, or a name with nothing visible. The run's seed is printed; rerun one with
 * FUZZ_SEED=<seed>.
 */

const RUN_SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(1, 2 ** 31 - 1);

type Operation = {
  operationId: string;
  parameters: { name: string; in: "path" | "query" | "header"; required: boolean; schema: Schema }[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<
    string,
    {
      content?: Record<string, { schema: Schema & { $ref?: string } }>;
      links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
    }
  >;
};
type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

// The kinds the API tests use (tests/shared-fixtures.ts), and three only this run makes.
const KINDS = [...KEY_KINDS, "adminOfThisProject", "mixed", "demotedCreator"] as const;
type Kind = (typeof KINDS)[number];
const PER_OPERATION_AND_KIND = 5;
const SECRET_PATTERNS = [/\/invite\/[A-Za-z0-9_-]{20,}/g, /mck_[A-Za-z0-9_-]{20,}/g, /whsec_[A-Za-z0-9+/=]{20,}/g];

/** A fresh organization of its own (so the flows running beside this are untouched), and one key of each kind. */
async function seed() {
  const tag = randomBytes(4).toString("hex");
  const user = async (label: string) =>
    (
      await sql<{ id: string; email: string }>(
        "insert into users (id, email, name) values (gen_random_uuid()::text, $1, $2) returning id, email",
        [`${label}-${tag}@fuzz.example.com`, `${label} ${tag}`],
      )
    )[0]!;
  const [owner, owner2, admin, reader, member, foreignOwner, demoted] = [
    await user("owner"),
    await user("owner2"),
    await user("admin"),
    await user("reader"),
    await user("member"),
    await user("foreign"),
    await user("demoted"),
  ];
  const org = randomUUID();
  const foreignOrg = randomUUID();
  await sql("insert into organizations (id, name) values ($1, $2), ($3, $4)", [org, `Fuzz ${tag}`, foreignOrg, `Fuzz foreign ${tag}`]);
  const [p1, p2, pf] = [randomUUID(), randomUUID(), randomUUID()];
  await sql(
    "insert into projects (id, org_id, name, is_default) values ($1, $2, 'Default Project', true), ($3, $2, 'Side', false), ($4, $5, 'Foreign', true)",
    [p1, org, p2, pf, foreignOrg],
  );
  // `demoted` made an organization key while an Owner and is a Member now: the key is capped to what they are.
  await sql(
    "insert into organization_memberships (org_id, user_id, role) " +
      "values ($1, $2, 'owner'), ($1, $3, 'owner'), ($1, $4, 'member'), " +
      "($1, $5, 'member'), ($1, $6, 'member'), ($7, $8, 'owner'), ($1, $9, 'member')",
    [org, owner.id, owner2.id, admin.id, reader.id, member.id, foreignOrg, foreignOwner.id, demoted.id],
  );
  await sql(
    "insert into project_memberships (org_id, project_id, user_id, role) " +
      "values ($1, $2, $3, 'admin'), ($1, $2, $4, 'read_only'), ($1, $5, $3, 'admin'), ($6, $7, $8, 'admin')",
    [org, p1, admin.id, reader.id, p2, foreignOrg, pf, foreignOwner.id],
  );
  const invitationIds: string[] = [];
  for (let i = 0; i < 4; i++) {
    const [inv] = await sql<{ id: string }>(
      "insert into invitations (org_id, email, org_role, token_hash, status, expires_at, last_sent_at) " +
        "values ($1, $2, 'member', $3, 'pending', now() + interval '47 hours', now() - interval '2 minutes') returning id",
      [org, `invitee${i}-${tag}@fuzz.example.com`, randomBytes(32).toString("base64url")],
    );
    await sql("insert into invitation_project_grants (invitation_id, org_id, project_id, role) values ($1, $2, $3, 'read_only')", [
      inv!.id,
      org,
      i % 2 ? p2 : p1,
    ]);
    invitationIds.push(inv!.id);
  }
  // Keys are made as the domain makes them: a 32-byte secret with our prefix, stored as its SHA-256.
  const { createHash } = await import("node:crypto");
  const key = async (
    orgId: string,
    creator: string,
    scope: "organization" | "projects",
    grants: [string, string][],
    state: "" | "revoked" | "expired" = "",
  ) => {
    const secret = `mck_${randomBytes(32).toString("base64url")}`;
    const [row] = await sql<{ id: string }>(
      `insert into api_keys (org_id, name, prefix, secret_hash, scope, created_by_id, created_by_email, revoked_at, expires_at)
         values ($1, $2, $3, $4, $5, $6, 'fuzz', ${state === "revoked" ? "now()" : "null"},
           ${state === "expired" ? "now() - interval '1 minute'" : "null"}) returning id`,
      [orgId, `fuzz ${scope} ${state}`, secret.slice(0, 12), createHash("sha256").update(secret).digest("hex"), scope, creator],
    );
    for (const [projectId, role] of grants)
      await sql("insert into api_key_projects (api_key_id, org_id, project_id, role) values ($1, $2, $3, $4)", [
        row!.id,
        orgId,
        projectId,
        role,
      ]);
    return secret;
  };
  const keys: Record<Kind | "sweep", string | null> = {
    // Another Owner's key for the character sweep, so the sweep's ~500 requests leave the owner key's minute alone.
    sweep: await key(org, owner2.id, "organization", []),
    owner: await key(org, owner.id, "organization", []),
    adminOfThisProject: await key(org, owner.id, "projects", [[p1, "admin"]]),
    adminOfOtherProject: await key(org, owner.id, "projects", [[p2, "admin"]]),
    readOnly: await key(org, owner.id, "projects", [[p1, "read_only"]]),
    mixed: await key(org, owner.id, "projects", [
      [p1, "read_only"],
      [p2, "admin"],
    ]),
    demotedCreator: await key(org, demoted.id, "organization", []),
    revoked: await key(org, owner.id, "organization", [], "revoked"),
    expired: await key(org, owner.id, "organization", [], "expired"),
    otherOrganization: await key(foreignOrg, foreignOwner.id, "organization", []),
    none: null,
    malformed: "mck_this-is-not-a-key",
  };
  const someString = fc.oneof(fc.string({ maxLength: 40 }), hostileString).filter((s) => s.length > 0);
  // Real ids most of the time (so requests reach the domain), another tenant's, random and junk otherwise.
  const hints: Record<string, fc.Arbitrary<unknown>> = {
    orgId: fc.oneof(
      { arbitrary: fc.constant(org), weight: 8 },
      { arbitrary: fc.constant(foreignOrg), weight: 1 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: someString, weight: 1 },
    ),
    projectId: fc.oneof(
      { arbitrary: fc.constantFrom(p1, p2), weight: 8 },
      { arbitrary: fc.constant(pf), weight: 1 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: someString, weight: 1 },
    ),
    userId: fc.oneof(
      { arbitrary: fc.constantFrom(owner.id, owner2.id, admin.id, reader.id, member.id), weight: 8 },
      { arbitrary: fc.constant(foreignOwner.id), weight: 1 },
      { arbitrary: someString, weight: 1 },
    ),
    invitationId: fc.oneof(
      { arbitrary: fc.constantFrom(...invitationIds), weight: 8 },
      { arbitrary: fc.uuid(), weight: 1 },
      { arbitrary: someString, weight: 1 },
    ),
    confirmName: fc.oneof(fc.constantFrom("Side", "Default Project"), someString),
    emails: fc.array(
      fc.oneof(
        { arbitrary: fc.emailAddress(), weight: 4 },
        { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
        {
          arbitrary: fc
            .tuple(fc.emailAddress(), fc.constantFrom(...HOSTILE_CHARACTERS))
            .map(([e, c]) => `${e.slice(0, 1)}${c}${e.slice(1)}`),
          weight: 1,
        },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    name: fc.oneof({ arbitrary: fc.string({ minLength: 1, maxLength: 40 }), weight: 3 }, { arbitrary: hostileString, weight: 2 }),
    cursor: fc.oneof({ arbitrary: forgedCursor, weight: 4 }, { arbitrary: fc.string({ maxLength: 20 }), weight: 1 }),
  };
  // Ids that fit together: the organization, its default project, a collaborator of it, an invitation to it.
  const fitting = { orgId: org, projectId: p1, userId: reader.id, invitationId: invitationIds[0]! };
  return { keys, hints, org, fitting, secrets: Object.values(keys).filter((k): k is string => !!k && k.length > 30) };
}

test("the API answers generated requests within its document: no 5xx, no schema violation", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const doc = (await (await fetch(`${baseURL}/api/v1/openapi.json`)).json()) as Doc;
  console.log(`API fuzz seed ${RUN_SEED} (rerun with FUZZ_SEED=${RUN_SEED})`);
  const { keys, hints, org, secrets, fitting } = await seed();
  /** Every secret the run has seen: the keys it made and every link or key an answer carried. */
  const seenSecrets = new Set(secrets);
  const collectSecrets = (text: string) => {
    for (const pattern of SECRET_PATTERNS) for (const m of text.matchAll(pattern)) seenSecrets.add(m[0]);
  };
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
  const problem = doc.components.schemas.Problem!;
  const validators = new Map<Schema, ReturnType<typeof ajv.compile>>();
  const check = (schema: Schema & { $ref?: string }) => {
    const resolved = schema.$ref === "#/components/schemas/Problem" ? problem : schema;
    let v = validators.get(resolved);
    if (!v) validators.set(resolved, (v = ajv.compile(resolved)));
    return v;
  };

  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  const byId = new Map(operations.map((o) => [o.op.operationId, o]));
  const failures: string[] = [];
  const statuses = new Map<string, number>();
  const succeeded = new Set<string>();
  let requests = 0;
  let linked = 0;
  let replays = 0;

  async function send(
    entry: (typeof operations)[number],
    kind: Kind | "sweep",
    rng: { pathParams?: Record<string, string>; broken: boolean; seed: number; body?: unknown; idempotencyKey?: string; twice?: boolean },
  ) {
    const { op, path, method } = entry;
    const [sample] = fc.sample(
      fc.record({
        path: fc.record(
          Object.fromEntries(op.parameters.filter((p) => p.in === "path").map((p) => [p.name, valid(p.schema, hints, p.name)])),
        ),
        query: fc.record(
          Object.fromEntries(
            op.parameters
              .filter((p) => p.in === "query")
              .map((p) => [
                p.name,
                rng.broken ? fc.oneof(valid(p.schema, hints, p.name), fc.string({ maxLength: 12 })) : valid(p.schema, hints, p.name),
              ]),
          ),
          { requiredKeys: op.parameters.filter((p) => p.in === "query" && p.required).map((p) => p.name) },
        ),
        body: op.requestBody
          ? rng.broken
            ? invalid(op.requestBody.content["application/json"].schema, hints)
            : valid(op.requestBody.content["application/json"].schema, hints)
          : fc.constant(undefined),
        idempotencyKey: fc.option(fc.oneof(fc.constantFrom("fuzz-1", "fuzz-2"), fc.stringMatching(/^[\x21-\x7e]{1,40}$/)), {
          nil: undefined,
          freq: 4,
        }),
        twice: fc.boolean(),
        contentType: rng.broken
          ? fc.constantFrom("application/json", "text/plain", "application/problem+json")
          : fc.constant("application/json"),
      }),
      { numRuns: 1, seed: rng.seed },
    );
    const s = sample!;
    if (rng.body !== undefined) s.body = rng.body;
    if (rng.idempotencyKey !== undefined) s.idempotencyKey = rng.idempotencyKey;
    if (rng.twice !== undefined) s.twice = rng.twice;
    const pathNames = new Set(op.parameters.filter((p) => p.in === "path").map((p) => p.name));
    const overrides = Object.entries(rng.pathParams ?? {});
    const params = { ...(s.path as Record<string, string>), ...Object.fromEntries(overrides.filter(([k]) => pathNames.has(k))) };
    const queryNames = new Set(op.parameters.filter((p) => p.in === "query").map((p) => p.name));
    Object.assign(s.query as Record<string, unknown>, Object.fromEntries(overrides.filter(([k]) => queryNames.has(k))));
    const url = new URL(`${baseURL}/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => pathSegment(String(params[name])))}`);
    for (const [k, v] of Object.entries(s.query as Record<string, unknown>)) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {};
    if (keys[kind]) headers.authorization = `Bearer ${keys[kind]}`;
    if (method === "POST" && s.idempotencyKey) headers["idempotency-key"] = `${kind}-${s.idempotencyKey}`;
    if (s.body !== undefined) headers["content-type"] = s.contentType;
    const init = { method, headers, body: s.body === undefined ? undefined : JSON.stringify(s.body) };
    const response = await fetch(url, init);
    requests++;
    const text = await response.text();
    collectSecrets(text);
    // The same request with the same Idempotency-Key: the stored answer, byte for byte, never a secret again.
    if (headers["idempotency-key"] && s.twice && response.status !== 429) {
      const again = await fetch(url, init);
      const againText = await again.text();
      requests++;
      replays++;
      if (again.status >= 500) failures.push(`server error on a replay: ${method} ${url.pathname} [${kind}] → ${again.status}`);
      const firstHadSecret = SECRET_PATTERNS.some((p) => new RegExp(p.source).test(text));
      // An operation whose answer may hold a secret (an endpoint URL can) keeps only that it succeeded: its replay is 409.
      const secretNotKept = response.status < 300 && again.status === 409 && againText.includes("IDEMPOTENT_SECRET_NOT_KEPT");
      if (firstHadSecret && SECRET_PATTERNS.some((p) => new RegExp(p.source).test(againText)))
        failures.push(`a replay answered a secret: ${method} ${url.pathname} [${kind}]`);
      else if (!firstHadSecret && !secretNotKept && again.status !== 429 && (again.status !== response.status || againText !== text)) {
        failures.push(`a replay differs from the first answer: ${method} ${url.pathname} [${kind}] ${response.status} → ${again.status}`);
      }
    }
    const label = `${method} ${url.pathname}${url.search} [${kind}] → ${response.status}`;
    statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1);
    if (response.status < 300) succeeded.add(op.operationId);
    if (response.status >= 500) failures.push(`server error: ${label} ${text.slice(0, 300)}`);
    const documented = op.responses[String(response.status)];
    if (!documented) {
      failures.push(`undocumented status: ${label}`);
      return null;
    }
    const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim();
    const content = documented.content?.[type];
    if (!content) {
      failures.push(`undocumented content type ${type}: ${label}`);
      return null;
    }
    // A streamed file (the audit export): CSV is text with its header row; NDJSON is one documented object per line.
    if (type === "text/csv") {
      if (!/^id,createdAt,/.test(text) || !text.endsWith("\r\n")) failures.push(`not the documented CSV: ${label} ${text.slice(0, 200)}`);
      return null;
    }
    if (type === "application/x-ndjson") {
      const validateLine = check(content.schema);
      for (const line of text.split("\n").filter(Boolean)) {
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          failures.push(`an NDJSON line is not JSON: ${label}`);
          break;
        }
        if (!validateLine(record)) failures.push(`schema violation in an NDJSON line: ${label} ${ajv.errorsText(validateLine.errors)}`);
      }
      return null;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      failures.push(`not JSON: ${label}`);
      return null;
    }
    const validate = check(content.schema);
    if (!validate(body)) failures.push(`schema violation: ${label} ${ajv.errorsText(validate.errors)} ${text.slice(0, 200)}`);
    return { status: response.status, body, params, op };
  }

  /** Follows the document's links from a success: $request.path.* and $response.body#/pointer, into path or query parameters. */
  async function followLinks(result: NonNullable<Awaited<ReturnType<typeof send>>>, seed: number, depth = 1): Promise<void> {
    const links = result.op.responses[String(result.status)]?.links ?? {};
    for (const link of Object.values(links)) {
      const target = byId.get(link.operationId);
      if (!target) {
        failures.push(`link to unknown operation ${link.operationId}`);
        continue;
      }
      const pathParams: Record<string, string> = {};
      for (const [name, expr] of Object.entries(link.parameters)) {
        if (expr.startsWith("$request.path.")) pathParams[name] = result.params[expr.slice("$request.path.".length)]!;
        else if (expr.startsWith("$response.body#")) {
          const value = expr
            .slice("$response.body#".length)
            .split("/")
            .filter(Boolean)
            .reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined), result.body);
          if (value === undefined) continue;
          pathParams[name] = String(value);
        }
      }
      if (Object.keys(pathParams).length !== Object.keys(link.parameters).length) continue;
      linked++;
      const next = await send(target, "owner", { pathParams, broken: false, seed });
      // Sequences go on along the links of each success: create → read, create → rename → delete.
      if (next && next.status < 300 && depth < 3) await followLinks(next, seed + 1, depth + 1);
    }
  }

  // Directed: every operation with a key of every scope, ids that fit together, a valid body, an
  // Idempotency-Key and the same request twice (the link operations included); removals last.
  const ordered = [...operations].sort((a, b) => Number(a.method === "DELETE") - Number(b.method === "DELETE"));
  for (const entry of ordered) {
    for (const kind of KINDS) {
      await send(entry, kind, {
        broken: false,
        seed: RUN_SEED,
        pathParams: fitting,
        idempotencyKey: `directed-${entry.op.operationId}`,
        twice: true,
      });
    }
  }
  // Forged cursors in the documented format, with the owner's key, on every list.
  for (const entry of operations) {
    const list = listOf(entry.op.operationId);
    if (!list) continue;
    for (const [n, cursor] of fc.sample(cursorFor(list), { numRuns: 40, seed: RUN_SEED }).entries()) {
      await send(entry, "owner", { broken: false, seed: RUN_SEED + n, pathParams: { ...fitting, cursor } });
    }
  }

  // Every hostile character, on purpose, in every string field of every body, with an Owner's key, before the
  // random phase may remove that Owner (which revokes their keys).
  const withBodies = operations.filter((o) => o.op.requestBody);
  for (const [n, character] of HOSTILE_CHARACTERS.entries()) {
    for (const entry of withBodies) {
      const [body] = fc.sample(valid(entry.op.requestBody!.content["application/json"].schema, hints), { numRuns: 1, seed: RUN_SEED + n });
      const poisoned = poison(body, character);
      if (JSON.stringify(poisoned) === JSON.stringify(body)) continue;
      await send(entry, "sweep", { broken: false, seed: RUN_SEED + n, body: poisoned });
    }
  }

  let counter = RUN_SEED;
  const jobs: (() => Promise<void>)[] = [];
  for (const entry of operations) {
    for (const kind of KINDS) {
      for (let i = 0; i < PER_OPERATION_AND_KIND; i++) {
        const mySeed = counter++;
        jobs.push(async () => {
          const result = await send(entry, kind, { broken: i % 3 === 2, seed: mySeed });
          if (result && result.status < 300 && kind === "owner") await followLinks(result, mySeed);
        });
      }
    }
  }
  // A few at a time, like a client with a small pool.
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );

  // Rules broken at rest: a secret in the idempotency store or the server's log, a hostile character stored.
  const stored = await sql<Record<string, unknown>>("select * from api_idempotency_keys");
  const storeText = stored
    .map((row) =>
      Object.values(row)
        .map((v) => (Buffer.isBuffer(v) ? v.toString("utf8") : JSON.stringify(v)))
        .join(" "),
    )
    .join("\n");
  let log = "";
  try {
    log = readFileSync("test-results/e2e-server.log", "utf8");
  } catch {
    failures.push("the server log test-results/e2e-server.log could not be read");
  }
  for (const [where, text] of [
    ["the idempotency store", storeText],
    ["the server log", log],
  ] as const) {
    const found = [...seenSecrets].filter((secret) => text.includes(secret));
    const shaped = SECRET_PATTERNS.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
    if (found.length || shaped.length)
      failures.push(
        `a secret in ${where}: ${found.length} known, ${shaped.length} shaped like one (first: ${(found[0] ?? shaped[0])!.slice(0, 12)}…)`,
      );
  }
  const cls = (chars: readonly string[]) => `[${chars.filter((c) => c !== "\u0000").join("")}]`;
  const names = await sql<{ what: string; value: string }>(
    `with named as (
         select 'organization' as what, name as value from organizations where id = $1
         union all select 'project', name from projects where org_id = $1
         union all select 'key', name from api_keys where org_id = $1)
       select what, value from named where value ~ $2 or regexp_replace(value, $3, '', 'g') = ''
       union all select 'invitation', email from invitations where org_id = $1 and email ~ $4`,
    [org, cls(REFUSED_CHARACTERS), `${cls([...INVISIBLE_CHARACTERS, " ", "\u00a0", "\u3000"])}`, cls(HOSTILE_CHARACTERS)],
  );
  for (const n of names) failures.push(`a ${n.what} stored with a refused character or nothing visible: ${JSON.stringify(n.value)}`);

  const neverOk = operations.map((o) => o.op.operationId).filter((id) => !succeeded.has(id));
  const summary =
    `API fuzz (seed ${RUN_SEED}): ${operations.length} operations, ${requests} requests (${linked} along links, ${replays} replays), ` +
    `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}, ` +
    `${failures.length} failures (${[...statuses].filter(([st]) => st >= "500").reduce((n, [, c]) => n + c, 0)} answers 5xx, ` +
    `${failures.filter((f) => !f.startsWith("server error")).length} rules broken); ` +
    `operations never answered 2xx: ${neverOk.length ? neverOk.join(", ") : "none"}`;
  console.log(summary);
  const kinds = new Map<string, string[]>();
  for (const f of failures) {
    const kind = f.slice(0, f.indexOf(":"));
    kinds.set(kind, [...(kinds.get(kind) ?? []), f]);
  }
  for (const [kind, list] of kinds) console.log(`  ${list.length} × ${kind}, e.g.\n    ${list.slice(0, 3).join("\n    ")}`);
  expect(failures.slice(0, 20), summary).toEqual([]);
  expect(requests).toBeGreaterThanOrEqual(1000);
  expect(replays).toBeGreaterThan(50);
  // Refusals for too many requests would hide what the run meant to reach: only a resend's own minute may answer 429.
  expect(statuses.get("429") ?? 0, summary).toBeLessThan(requests / 50);
  expect(operations.length).toBe(42);
  // Every operation was reached with a key that may use it, not only refused.
  expect([...statuses.keys()].some((s) => s.startsWith("2"))).toBe(true);
});

/** The body with `character` put inside every string that is a name, an address or a confirmation. */
function poison(value: unknown, character: string, key = ""): unknown {
  if (typeof value === "string")
    return ["name", "emails", "confirmName", "displayName"].includes(key)
      ? `${value.slice(0, 1)}${character}${value.slice(1) || "x"}`
      : value;
  if (Array.isArray(value)) return value.map((v) => poison(v, character, key));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v, character, k)]));
  return value;
}

/** A path segment as a client would send it; "." and ".." would be folded away by URL parsing, so they become literal. */
function pathSegment(value: string): string {
  return /^\.{1,2}$/.test(value) ? value.replace(/\./g, "%252E") : encodeURIComponent(value);
}

/** The list a list operation pages through, as named in its cursors. */
function listOf(operationId: string): string | null {
  const lists: Record<string, string> = {
    listCollaborators: "collaborators",
    listProjectInvitations: "invitations",
    listOrganizationInvitations: "org-invitations",
    listProjectActivity: "activity",
    listOrganizationActivity: "org-activity",
    listOrganizationMembers: "org-members",
  };
  return lists[operationId] ?? null;
}
