import { randomBytes, randomUUID } from "node:crypto";
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { projects } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { BASE_URL, attempt, buildWorld, describeError, invitationRow, projectRoleOf, snapshot, worldOrgIds, type World } from "./fixtures";

/**
 * Whatever arrives from a form or a URL, every verb answers with a DomainError (or, for reads and
 * for address lists, a harmless answer) and changes no row: never a raw TypeError, never a
 * Postgres error. Inputs are cast through `unknown`, as a server action would receive them.
 */

const KB100 = "a".repeat(100 * 1024);

/** Names the one name rule refuses for what they carry: C1 controls, text-direction characters, nothing visible. */
const UNREADABLE_NAMES: [string, string][] = [
  ["C1 next line (NEL) inside", "pro\u0085ject"],
  ["C1 control sequence introducer", "\u009b31mred"],
  ["right-to-left override inside", "pro\u202eject"],
  ["isolates around it", "\u2066project\u2069"],
  ["zero-width characters only", "\u200b\u200d\ufeff\u2060"],
  ["combining marks only", "\u0301\u0302"],
];

/** Strings no id, token, role or name should be. */
const JUNK_STRINGS: [string, string][] = [
  ["empty", ""],
  ["space", " "],
  ["whitespace", "\t\r\n"],
  ["'null'", "null"],
  ["'undefined'", "undefined"],
  ["'NaN'", "NaN"],
  ["'[object Object]'", "[object Object]"],
  ["'0'", "0"],
  ["'-1'", "-1"],
  ["not-a-uuid", "not-a-uuid"],
  ["nil uuid", "00000000-0000-0000-0000-000000000000"],
  ["max uuid", "ffffffff-ffff-ffff-ffff-ffffffffffff"],
  ["uuid with a non-hex digit", "00000000-0000-4000-8000-00000000000g"],
  ["uuid without dashes", "0000000000004000800000000000a001"],
  ["sql: or 1=1", "' OR '1'='1"],
  ["sql: drop table", "'; DROP TABLE organizations; --"],
  ["sql: pg_sleep", "1; SELECT pg_sleep(5)--"],
  ["sql: union", "x' UNION SELECT token_hash FROM invitations --"],
  ["sql: like wildcard", "%"],
  ["sql: wildcards", "_%_"],
  ["backslash", "\\"],
  ["placeholder $1", "$1"],
  ["template", "${process.env}"],
  ["html", "<script>alert(1)</script>"],
  ["path traversal", "../../../etc/passwd"],
  ["NUL inside", "a\u0000b"],
  ["NUL only", "\u0000"],
  ["lone surrogate", "\uD800"],
  ["noncharacter", "\uFFFF"],
  ["RTL override", "\u202Eevil"],
  ["fullwidth", "ａｂｃ"],
  ["math digits", "𝟘𝟘𝟘𝟘𝟘𝟘𝟘𝟘-𝟘𝟘𝟘𝟘-𝟜𝟘𝟘𝟘-𝟠𝟘𝟘𝟘-𝟘𝟘𝟘𝟘𝟘𝟘𝟘𝟘𝟘𝟘𝟘𝟘"],
  ["201 chars", "a".repeat(201)],
  ["10 KB", "b".repeat(10_000)],
  ["100 KB", KB100],
  ["100 KB unicode", "é".repeat(50 * 1024)],
];

/** Values of the wrong type entirely. */
function nonStrings(lookalike: string): [string, unknown][] {
  return [
    ["null", null],
    ["undefined", undefined],
    ["0", 0],
    ["42", 42],
    ["-1", -1],
    ["3.14", 3.14],
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["true", true],
    ["false", false],
    ["{}", {}],
    ["[]", []],
    ["['']", [""]],
    ["{length: 36}", { length: 36 }],
    ["Date", new Date(0)],
    ["object whose toString is a real value", { toString: () => lookalike }],
    ["array holding a real value", [lookalike]],
    ["{ id: real value }", { id: lookalike }],
  ];
}

interface HostileCase {
  label: string;
  run: () => Promise<unknown>;
  /** For calls that may answer instead of refusing: is the answer harmless? */
  harmless?: (value: unknown) => boolean;
}

interface Action {
  name: string;
  cases(w: World, db: Db): HostileCase[];
  /** A fast-check property: one field gets arbitrary junk. */
  property?: (
    w: World,
    db: Db,
  ) => { run: (value: unknown) => Promise<unknown>; harmless?: (value: unknown) => boolean; arbitrary?: fc.Arbitrary<unknown> };
}

const opts = (w: World) => ({ now: w.now, baseUrl: BASE_URL });

/** Bad ids: junk strings, wrong types, other tenants' ids, and our own ids in the wrong place. */
function idValues(w: World, realValue: string): [string, unknown][] {
  return [
    ...JUNK_STRINGS,
    ...nonStrings(realValue),
    ["other tenant's org id", w.foreign.org.id],
    ["other tenant's project id", w.foreign.project.id],
    ["other tenant's invitation id", w.foreign.invitation.id],
    ["other tenant's user id", w.foreign.owner.id],
    ["other tenant's org id, upper case", w.foreign.org.id.toUpperCase()],
    ["random uuid", randomUUID()],
    ["own org id", w.org.id],
    ["own side project id", w.sideProject.id],
    ["own invitation id", w.strangerInvitation.id],
    ["real value with a trailing space", `${realValue} `],
    ["real value with a newline", `${realValue}\n`],
    ["real value in braces", `{${realValue}}`],
    ["real value + NUL", `${realValue}\u0000`],
    ["real value twice", `${realValue}${realValue}`],
  ].filter(([, v]) => v !== realValue) as [string, unknown][];
}

/** Bad user ids: the above, plus people who exist but are no collaborator or no member here. */
function userIdValues(w: World, realValue: string): [string, unknown][] {
  return [
    ...idValues(w, realValue),
    ["the owner (not a collaborator)", w.actors.owner.id],
    ["a plain org member", w.actors.member.id],
    ["the invitee (no membership)", w.actors.invitee.id],
    ["the outsider", w.actors.outsider.id],
    ["upper-cased real id", realValue.toUpperCase()],
    ["an email instead of an id", w.target.email],
  ].filter(([, v]) => v !== realValue) as [string, unknown][];
}

/** Drops named values that are legitimate for the acting Organization Owner (e.g. another project of their own). */
function without(values: [string, unknown][], ...names: string[]): [string, unknown][] {
  return values.filter(([n]) => !names.includes(n));
}

function roleValues(): [string, unknown][] {
  return [
    ["owner", "owner"],
    ["member", "member"],
    ["ADMIN", "ADMIN"],
    ["'admin '", "admin "],
    ["read-write", "read-write"],
    ["superuser", "superuser"],
    ["sql", "admin'; --"],
    ["100 KB", KB100],
    ["null", null],
    ["undefined", undefined],
    ["1", 1],
    ["{}", {}],
    ["['admin']", ["admin"]],
    ["{toString: admin}", { toString: () => "admin" }],
  ];
}

function tokenValues(w: World, token: string, storedHash: string): [string, unknown][] {
  return [
    ...JUNK_STRINGS,
    ...nonStrings(token),
    ["well-formed unknown token", randomBytes(32).toString("base64url")],
    ["42 characters", token.slice(0, 42)],
    ["44 characters", `${token}A`],
    ["with '=' padding", `${token}=`],
    ["standard base64 alphabet", token.replace(/[-_]/g, "+").replace(/^./, "/")],
    ["the stored hash used as a token", storedHash],
    ["token with a newline", `${token}\n`],
    ["token with a space before", ` ${token}`],
    ["token + NUL", `${token}\u0000`],
    ["a url around the token", `${BASE_URL}/invite/${token}`],
    ["another tenant's token", w.foreign.invitation.token],
  ];
}

const junkArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 60 }),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.uuid(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined),
  fc.jsonValue({ maxDepth: 2 }),
  fc.anything({ maxDepth: 2 }),
);

const isUnknownView = (v: unknown) => (v as m.InvitationView).state === "unknown";
/** A page answer is harmless when it holds at most one page from a sane position (a junk cursor that is "" is the first page). */
const isSanePage = (v: unknown) => {
  const page = v as m.Page<unknown>;
  return Number.isInteger(page.start) && page.start >= 0 && page.items.length <= page.pageSize;
};

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), "utf8").toString("base64url");

/** Cursors no list made: junk, damaged ones, another list's, and forged keys that would reach Postgres as casts. */
function cursorValues(list: string): [string, unknown][] {
  return [
    ...JUNK_STRINGS.filter(([n]) => n !== "empty"),
    ...nonStrings("eyJsIjoiYWN0aXZpdHkifQ"),
    ["-5", -5],
    ["Infinity", Infinity],
    ["{}", {}],
    ["base64 of junk", b64("x")],
    ["base64 of null", b64(null)],
    ["another list's cursor", b64({ l: list === "org-members" ? "collaborators" : "org-members", d: "a", k: ["admin", "a@b.c"], i: 50 })],
    ["wrong direction", b64({ l: list, d: "z", k: ["admin", "a@b.c"], i: 50 })],
    ["negative position", b64({ l: list, d: "a", k: ["admin", "a@b.c"], i: -1 })],
    ["too few keys", b64({ l: list, d: "a", k: ["admin"], i: 50 })],
    ["key of the wrong type", b64({ l: list, d: "a", k: [1, 2], i: 50 })],
    ["forged role", b64({ l: list, d: "a", k: ["owner' or 1=1", "x"], i: 50 })],
    ["forged timestamp", b64({ l: list, d: "a", k: ["2026-02-31 10:00:00+00", "00000000-0000-4000-8000-000000000000"], i: 50 })],
    ["forged uuid", b64({ l: list, d: "a", k: ["2026-11-30 10:00:00.123456+00", "not-a-uuid"], i: 50 })],
    ["NUL in a key", b64({ l: list, d: "a", k: ["admin\u0000", "x\u0000"], i: 50 })],
  ];
}

/** The answer to an address list with nothing valid in it: every outcome is "invalid". */
const allInvalid = (v: unknown) => Array.isArray(v) && v.every((o: m.InviteOutcome) => o.outcome === "invalid");

function fieldCases<T extends object>(
  label: string,
  values: [string, unknown][],
  build: (value: unknown) => T,
  call: (input: T) => Promise<unknown>,
  harmless?: (v: unknown) => boolean,
): HostileCase[] {
  return values.map(([name, value]) => ({ label: `${label} = ${name}`, run: () => call(build(value)), harmless }));
}

/** The orgId and projectId cases of a project's input `base`. */
function scopeCases(w: World, base: { orgId: string; projectId: string }, call: (input: object) => Promise<unknown>): HostileCase[] {
  return [
    ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
    ...fieldCases("projectId", idValues(w, w.project.id), (v) => ({ ...base, projectId: v }), call),
  ];
}

type InvitationVerb = (
  db: Db,
  actor: m.Actor,
  input: { orgId: string; projectId: string; invitationId: string },
  o: object,
) => Promise<unknown>;

/** Bad invitation ids (the invitation's own id is the valid one) for a verb on `base`'s invitation. */
function invitationIdCases<T extends { invitationId: string }>(
  w: World,
  base: T,
  call: (input: object) => Promise<unknown>,
): HostileCase[] {
  const values = idValues(w, w.invitation.id).filter(([n]) => n !== "own invitation id");
  return fieldCases("invitationId", values, (v) => ({ ...base, invitationId: v }), call);
}

/** A verb on one of the project's invitations, called by the Owner: bad invitation, organization and project ids. */
function invitationAction(name: string, verb: InvitationVerb): Action {
  return {
    name,
    cases(w, db) {
      const base = { orgId: w.org.id, projectId: w.project.id, invitationId: w.invitation.id };
      const call = (input: object) => verb(db, w.actors.owner, input as typeof base, opts(w));
      return [...invitationIdCases(w, base, call), ...scopeCases(w, base, call)];
    },
    property: (w, db) => ({
      run: (v) => verb(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, invitationId: v as string }, opts(w)),
    }),
  };
}

/** A verb of the invitee on an invitation link: bad tokens. */
function tokenAction(name: string, verb: (db: Db, actor: m.Actor, input: { token: string }, o: object) => Promise<unknown>): Action {
  return {
    name,
    cases(w, db) {
      return fieldCases(
        "token",
        tokenValues(w, w.invitation.token, storedHashes.get(w.invitation.id) ?? ""),
        (v) => ({ token: v }),
        (input) => verb(db, w.actors.invitee, input as { token: string }, opts(w)),
      );
    },
    property: (w, db) => ({ run: (v) => verb(db, w.actors.invitee, { token: v as string }, opts(w)) }),
  };
}

const ACTIONS: Action[] = [
  {
    name: "inviteUsers",
    cases(w, db) {
      const actor = w.actors.owner;
      const base = { orgId: w.org.id, projectId: w.project.id, emails: [`victim.${w.tag}@example.test`], role: "read_only" };
      const call = (input: object) => m.inviteUsers(db, actor, input as unknown as m.InviteUsersInput, opts(w));
      const emailLists: [string, unknown][] = [
        ["51 valid addresses", Array.from({ length: 51 }, (_, i) => `p${i}.${w.tag}@example.test`)],
        ["51 addresses in one pasted string", Array.from({ length: 51 }, (_, i) => `q${i}.${w.tag}@example.test`).join("\n")],
        [
          "100 KB of distinct addresses",
          [
            Array.from({ length: 4000 }, (_, i) => `r${i}@example.test`)
              .join(",")
              .slice(0, 100 * 1024),
          ],
        ],
        ["100 KB single string", [KB100]],
        ["100 KB of @", ["@".repeat(100 * 1024)]],
        ["fullwidth @ (homoglyph)", [`victim＠example.test`]],
        ["small commercial at", [`victim﹫example.test`]],
        ["cyrillic a in domain", ["victim@exаmple.test"]],
        ["fullwidth letters", ["ｖｉｃｔｉｍ@example.test"]],
        ["accented local part", ["émile@example.test"]],
        ["punycode-like broken domain", ["victim@xn--.test"]],
        ["no @", ["victim.example.test"]],
        ["two @", ["a@b@example.test"]],
        ["nothing before @", ["@example.test"]],
        ["no dot in domain", ["victim@localhost"]],
        ["leading dot", [".victim@example.test"]],
        ["double dot", ["vic..tim@example.test"]],
        ["domain starts with a dash", ["victim@-example.test"]],
        ["empty domain label", ["victim@example..test"]],
        ["65-character local part", [`${"l".repeat(65)}@example.test`]],
        [
          "258-character address (labels are fine, the whole is too long)",
          [`v@${"d".repeat(62)}.${"e".repeat(62)}.${"f".repeat(62)}.${"g".repeat(62)}.test`],
        ],
        ["NUL in address", ["victim\u0000@example.test"]],
        ["control character", ["vic\u0007tim@example.test"]],
        ["quoted local part", ['"victim"@example.test']],
        ["angle brackets", ["<victim@example.test>"]],
        ["display name form", ["Victim<victim@example.test>"]],
        ["sql in local part, no valid domain", ["x'||(select token_hash from invitations)||'@x"]],
        ["sql drop, no dot", ["';DROP TABLE users;--@x"]],
        ["html", ["<script>@x.test"]],
        ["ip literal", ["victim@[127.0.0.1]"]],
        ["only separators", [" ,;\n\t "]],
        ["empty list", []],
        ["null entries", [null, undefined, 1, {}, []]],
        ["not an array: string", `victim.${w.tag}@example.test`],
        ["not an array: object", { 0: `victim.${w.tag}@example.test`, length: 1 }],
        ["null", null],
        ["number", 7],
      ];
      return [
        ...fieldCases("emails", emailLists, (v) => ({ ...base, emails: v }), call, allInvalid),
        ...fieldCases("role", roleValues(), (v) => ({ ...base, role: v }), call),
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
        ...fieldCases("projectId", without(idValues(w, w.project.id), "own side project id"), (v) => ({ ...base, projectId: v }), call),
      ];
    },
    property: (w, db) => ({
      arbitrary: fc.array(
        fc
          .oneof(fc.string({ maxLength: 120 }), fc.string({ unit: "grapheme", maxLength: 40 }), fc.anything({ maxDepth: 1 }))
          .filter((s) => typeof s !== "string" || m.parseEmailList([s]).valid.length === 0),
        { maxLength: 60 },
      ),
      run: (emails) =>
        m.inviteUsers(
          db,
          w.actors.owner,
          { orgId: w.org.id, projectId: w.project.id, emails, role: "read_only" } as unknown as m.InviteUsersInput,
          opts(w),
        ),
      harmless: allInvalid,
    }),
  },
  invitationAction("resendInvitation", m.resendInvitation),
  invitationAction("revokeInvitation", m.revokeInvitation),
  {
    name: "getInvitationByToken",
    cases(w, db) {
      return tokenValues(w, w.invitation.token, storedHashes.get(w.invitation.id) ?? "").map(([name, value]) => ({
        label: `token = ${name}`,
        run: () => m.getInvitationByToken(db, value as string, w.actors.invitee, opts(w)),
        // Another tenant's real token is a real invitation: its page names the address it is for.
        harmless: name === "another tenant's token" ? (v) => (v as m.InvitationView).state === "wrong_account" : isUnknownView,
      }));
    },
    property: (w, db) => ({ run: (v) => m.getInvitationByToken(db, v as string, w.actors.invitee, opts(w)), harmless: isUnknownView }),
  },
  tokenAction("acceptInvitation", m.acceptInvitation),
  tokenAction("declineInvitation", m.declineInvitation),
  {
    name: "changeRole",
    cases(w, db) {
      const base = { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "read_write" };
      const call = (input: object) => m.changeRole(db, w.actors.owner, input as Parameters<typeof m.changeRole>[2], opts(w));
      return [
        ...fieldCases("userId", userIdValues(w, w.target.id), (v) => ({ ...base, userId: v }), call),
        ...fieldCases("role", roleValues(), (v) => ({ ...base, role: v }), call),
        ...scopeCases(w, base, call),
      ];
    },
    property: (w, db) => ({
      run: (v) =>
        m.changeRole(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, userId: v as string, role: "read_write" }, opts(w)),
    }),
  },
  {
    name: "removeCollaborator",
    cases(w, db) {
      const base = { orgId: w.org.id, projectId: w.project.id, userId: w.target.id };
      const call = (input: object) => m.removeCollaborator(db, w.actors.owner, input as typeof base, opts(w));
      return [...fieldCases("userId", userIdValues(w, w.target.id), (v) => ({ ...base, userId: v }), call), ...scopeCases(w, base, call)];
    },
    property: (w, db) => ({
      run: (v) => m.removeCollaborator(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, userId: v as string }, opts(w)),
    }),
  },
  {
    name: "leaveProject",
    cases(w, db) {
      const base = { orgId: w.org.id, projectId: w.project.id };
      const call = (input: object) => m.leaveProject(db, w.actors.readWrite, input as typeof base, opts(w));
      return scopeCases(w, base, call);
    },
    property: (w, db) => ({ run: (v) => m.leaveProject(db, w.actors.readWrite, { orgId: w.org.id, projectId: v as string }, opts(w)) }),
  },
  ...(["listCollaborators", "listPendingInvitations", "listActivity", "getProjectOverview"] as const).map((name): Action => ({
    name,
    cases(w, db) {
      const base = { orgId: w.org.id, projectId: w.project.id };
      const call = (input: object) =>
        (m[name] as (db: Db, a: m.Actor, i: unknown, o?: object) => Promise<unknown>)(db, w.actors.owner, input, opts(w));
      const list = name === "listCollaborators" ? "collaborators" : name === "listPendingInvitations" ? "invitations" : "activity";
      return [
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
        ...fieldCases("projectId", without(idValues(w, w.project.id), "own side project id"), (v) => ({ ...base, projectId: v }), call),
        ...(name === "getProjectOverview"
          ? []
          : fieldCases("cursor", cursorValues(list), (v) => ({ ...base, cursor: v }), call, isSanePage)),
      ];
    },
    property: (w, db) => ({
      run: (v) =>
        (m[name] as (db: Db, a: m.Actor, i: unknown, o?: object) => Promise<unknown>)(
          db,
          w.actors.owner,
          { orgId: v, projectId: w.project.id },
          opts(w),
        ),
    }),
  })),
  {
    name: "listOrganizationActivity",
    cases(w, db) {
      const call = (input: object) => m.listOrganizationActivity(db, w.actors.owner, input as { orgId: string });
      return [
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ orgId: v }), call),
        ...fieldCases("cursor", cursorValues("org-activity"), (v) => ({ orgId: w.org.id, cursor: v }), call, isSanePage),
      ];
    },
    property: (w, db) => ({ run: (v) => m.listOrganizationActivity(db, w.actors.owner, { orgId: v as string }) }),
  },
  {
    name: "removeOrganizationMember",
    cases(w, db) {
      const base = { orgId: w.org.id, userId: w.target.id };
      const call = (input: object) => m.removeOrganizationMember(db, w.actors.owner, input as typeof base, opts(w));
      const people = userIdValues(w, w.target.id).filter(([n]) => n !== "a plain org member" && n !== "the owner (not a collaborator)");
      return [
        ...fieldCases("userId", people, (v) => ({ ...base, userId: v }), call),
        { label: "userId = the only owner (LAST_OWNER)", run: () => call({ ...base, userId: w.actors.owner.id }) },
        { label: "userId = the only admin of a project (LAST_ADMIN)", run: () => call({ ...base, userId: w.admin2.id }) },
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
      ];
    },
    property: (w, db) => ({
      run: (v) => m.removeOrganizationMember(db, w.actors.owner, { orgId: w.org.id, userId: v as string }, opts(w)),
    }),
  },
  {
    name: "createProject",
    cases(w, db) {
      const base = { orgId: w.org.id, name: `Fine ${w.tag}` };
      const call = (input: object) => m.createProject(db, w.actors.owner, input as typeof base, opts(w));
      const names: [string, unknown][] = [
        ["empty", ""],
        ["spaces", "   "],
        ["tabs and newlines", "\t\n\r"],
        ["81 characters", "n".repeat(81)],
        ["10 KB", "n".repeat(10_000)],
        ["100 KB", KB100],
        ["NUL inside", "pro\u0000ject"],
        ["NUL only", "\u0000"],
        ["newline inside", "pro\nject"],
        ["bell", "pro\u0007ject"],
        ["DEL", "pro\u007fject"],
        ["escape sequence", "\u001b[31mred"],
        ...UNREADABLE_NAMES,
        ...nonStrings(`Sneaky ${w.tag}`),
      ];
      return [
        ...fieldCases("name", names, (v) => ({ ...base, name: v }), call),
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
      ];
    },
    property: (w, db) => ({ run: (v) => m.createProject(db, w.actors.owner, { orgId: v as string, name: `Prop ${w.tag}` }, opts(w)) }),
  },
  {
    name: "listProjects",
    cases(w, db) {
      return fieldCases(
        "orgId",
        idValues(w, w.org.id),
        (v) => ({ orgId: v }),
        (input) => m.listProjects(db, w.actors.owner, input as { orgId: string }),
      );
    },
    property: (w, db) => ({ run: (v) => m.listProjects(db, w.actors.owner, { orgId: v as string }) }),
  },
  {
    name: "inviteToOrganization",
    cases(w, db) {
      const base = { orgId: w.org.id, emails: [`victim.${w.tag}@example.test`], orgRole: "member", projects: [] as unknown };
      const call = (input: object) => m.inviteToOrganization(db, w.actors.owner, input as unknown as m.InviteToOrganizationInput, opts(w));
      const grant = (projectId: unknown, role: unknown) => [{ projectId, role }];
      const projectLists: [string, unknown][] = [
        ...nonStrings("x").filter(([n]) => !["undefined", "[]"].includes(n)),
        ...roleValues().map(([n, v]) => [`role ${n}`, grant(w.project.id, v)] as [string, unknown]),
        ...idValues(w, w.project.id)
          .filter(([n]) => n !== "own side project id")
          .map(([n, v]) => [`project ${n}`, grant(v, "read_only")] as [string, unknown]),
        ["the same project twice", [...grant(w.project.id, "admin"), ...grant(w.project.id, "read_only")]],
        ["the same project twice, once upper case", [...grant(w.project.id, "admin"), ...grant(w.project.id.toUpperCase(), "read_only")]],
        ["101 grants", Array.from({ length: 101 }, () => ({ projectId: w.project.id, role: "admin" }))],
        ["a grant that is a string", [w.project.id]],
        ["a null grant", [null]],
      ];
      return [
        ...fieldCases("projects", projectLists, (v) => ({ ...base, projects: v }), call),
        ...fieldCases("orgRole", without(roleValues(), "owner", "member"), (v) => ({ ...base, orgRole: v }), call),
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
        ...fieldCases(
          "emails",
          [
            ["51 addresses", Array.from({ length: 51 }, (_, i) => `o${i}.${w.tag}@example.test`)],
            ["null", null],
            ["only invalid", ["no-at", "a@b@c"]],
          ],
          (v) => ({ ...base, emails: v }),
          call,
          (v) => Array.isArray(v) && v.every((o: m.OrgInviteOutcome) => o.outcome === "invalid"),
        ),
      ];
    },
    property: (w, db) => ({
      run: (v) =>
        m.inviteToOrganization(
          db,
          w.actors.owner,
          {
            orgId: w.org.id,
            emails: [`victim.${w.tag}@example.test`],
            orgRole: "member",
            projects: [{ projectId: v, role: "admin" }],
          } as unknown as m.InviteToOrganizationInput,
          opts(w),
        ),
    }),
  },
  {
    name: "changeOrganizationRole",
    cases(w, db) {
      const base = { orgId: w.org.id, userId: w.target.id, role: "owner" };
      const call = (input: object) => m.changeOrganizationRole(db, w.actors.owner, input as typeof base as never, opts(w));
      return [
        ...fieldCases("userId", idValues(w, w.target.id), (v) => ({ ...base, userId: v }), call),
        ...fieldCases("role", without(roleValues(), "owner", "member"), (v) => ({ ...base, role: v }), call),
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
        { label: "the only owner demoted (LAST_OWNER)", run: () => call({ ...base, userId: w.actors.owner.id, role: "member" }) },
      ];
    },
    property: (w, db) => ({
      run: (v) => m.changeOrganizationRole(db, w.actors.owner, { orgId: w.org.id, userId: v as string, role: "owner" }, opts(w)),
    }),
  },
  invitationAction("copyInvitationLink", m.copyInvitationLink),
  {
    name: "copyOrganizationInvitationLink",
    cases(w, db) {
      const base = { orgId: w.org.id, invitationId: w.invitation.id };
      const call = (input: object) => m.copyOrganizationInvitationLink(db, w.actors.owner, input as typeof base, opts(w));
      return [...invitationIdCases(w, base, call), ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call)];
    },
  },
  {
    name: "deleteProject",
    cases(w, db) {
      const base = { orgId: w.org.id, projectId: w.project.id, confirmName: w.project.name };
      const call = (input: object) => m.deleteProject(db, w.actors.owner, input as typeof base, opts(w));
      const confirmations: [string, unknown][] = [
        ...JUNK_STRINGS,
        ...nonStrings(w.project.name),
        ["upper case name", w.project.name.toUpperCase()],
        ["name with a suffix", `${w.project.name}x`],
        ["another project's name", w.sideProject.name],
      ];
      return [
        ...fieldCases("confirmName", confirmations, (v) => ({ ...base, confirmName: v }), call),
        ...fieldCases("projectId", without(idValues(w, w.project.id), "own side project id"), (v) => ({ ...base, projectId: v }), call),
        ...fieldCases("orgId", idValues(w, w.org.id), (v) => ({ ...base, orgId: v }), call),
      ];
    },
  },
  {
    name: "createOrganization",
    cases(w, db) {
      const call = (input: object) => m.createOrganization(db, w.actors.outsider, input as { name: string }, opts(w));
      const names: [string, unknown][] = [
        ["empty", ""],
        ["spaces", "   "],
        ["81 characters", "n".repeat(81)],
        ["100 KB", KB100],
        ["NUL inside", "or\u0000g"],
        ["newline inside", "or\ng"],
        ["escape sequence", "\u001b[31mred"],
        ...UNREADABLE_NAMES,
        ...nonStrings(`Sneaky ${w.tag}`),
        // Every junk string made unusable as a name by a control character.
        ...JUNK_STRINGS.map(([n, v]) => [`${n} + bell`, `${v}\u0007`] as [string, unknown]),
      ];
      return fieldCases("name", names, (v) => ({ name: v }), call);
    },
  },
];

/** Stored token hashes of fixture invitations, read once per world (used as a hostile token). */
const storedHashes = new Map<string, string>();

const MIN_CASES = 50;
const PROPERTY_RUNS = 60;

describe.each(testTargets())("hostile input on %s", (kind) => {
  const database = useTestDatabase(kind);
  const counts: string[] = [];
  afterAll(async () => {
    console.log(`[hostile-input] ${kind}: ${counts.join("; ")}`);
  });

  it("lists every verb that takes input (listOrganizations takes none)", () => {
    expect(ACTIONS.map((a) => a.name).sort()).toEqual(
      [
        "acceptInvitation",
        "changeRole",
        "changeOrganizationRole",
        "copyInvitationLink",
        "copyOrganizationInvitationLink",
        "createOrganization",
        "createProject",
        "deleteProject",
        "inviteToOrganization",
        "declineInvitation",
        "getInvitationByToken",
        "getProjectOverview",
        "inviteUsers",
        "leaveProject",
        "listActivity",
        "listCollaborators",
        "listOrganizationActivity",
        "listPendingInvitations",
        "listProjects",
        "removeCollaborator",
        "removeOrganizationMember",
        "resendInvitation",
        "revokeInvitation",
      ].sort(),
    );
  });

  for (const action of ACTIONS) {
    it(`${action.name}: at least ${MIN_CASES} hostile inputs → DomainError (or a harmless answer), no row changed`, async () => {
      const w = await buildWorld(database.db);
      storedHashes.set(w.invitation.id, (await invitationRow(database.db, w.invitation.id))!.tokenHash);
      const cases = action.cases(w, database.db);
      expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
      const before = await snapshot(database.db, worldOrgIds(w));
      const failures: string[] = [];
      const codes: Record<string, number> = {};
      for (const c of cases) {
        const outcome = await attempt(c.run);
        if (outcome.ok) {
          if (!c.harmless?.(outcome.value)) failures.push(`${c.label}: accepted → ${JSON.stringify(outcome.value)?.slice(0, 200)}`);
          else codes.harmless = (codes.harmless ?? 0) + 1;
        } else if (!(outcome.error instanceof m.DomainError)) {
          failures.push(`${c.label}: raw error → ${describeError(outcome.error)}`);
        } else {
          codes[outcome.error.code] = (codes[outcome.error.code] ?? 0) + 1;
        }
        const after = await snapshot(database.db, worldOrgIds(w));
        if (JSON.stringify(after) !== JSON.stringify(before)) {
          failures.push(`${c.label}: rows changed`);
          break;
        }
      }
      counts.push(`${action.name} ${cases.length} cases ${JSON.stringify(codes)}`);
      expect(failures).toEqual([]);
      // The world is intact and still works: the real input succeeds afterwards.
      expect(await projectRoleOf(database.db, w.project.id, w.target.id)).toBe("read_only");
    });

    if (action.property) {
      it(`${action.name}: property, ${PROPERTY_RUNS} runs of arbitrary junk → DomainError (or a harmless answer), no row changed`, async () => {
        const w = await buildWorld(database.db);
        const { run, harmless, arbitrary } = action.property!(w, database.db);
        const before = await snapshot(database.db, worldOrgIds(w));
        await fc.assert(
          fc.asyncProperty(arbitrary ?? junkArbitrary, async (value) => {
            const outcome = await attempt(() => run(value));
            if (outcome.ok) return harmless?.(outcome.value) === true;
            if (!(outcome.error instanceof m.DomainError)) throw new Error(describeError(outcome.error));
            return true;
          }),
          { numRuns: PROPERTY_RUNS },
        );
        expect(await snapshot(database.db, worldOrgIds(w))).toEqual(before);
      });
    }
  }

  it("a project name that looks like SQL is stored verbatim, and the table is intact", async () => {
    const w = await buildWorld(database.db);
    const name = `'); DROP TABLE projects; -- ${w.tag}`;
    const { id } = await m.createProject(database.db, w.actors.owner, { orgId: w.org.id, name }, opts(w));
    const [row] = await database.db.select().from(projects).where(eq(projects.id, id));
    expect(row?.name).toBe(name);
    expect((await m.listProjects(database.db, w.actors.owner, { orgId: w.org.id })).projects.map((p) => p.name)).toContain(name);
  });
});
