/**
 * Abuse figures against a running production build on Postgres (loopback only), for the closing
 * note of an abuse-hardening change. Prints figures; it is not a test.
 *
 *     BENCH_BASE_URL=http://127.0.0.1:3022 DATABASE_URL=postgres://…/db npx tsx bench/abuse.ts
 *
 * The server must run with the default limits and the demo data (npm run db:seed). The script
 * signs people in by inserting database sessions (the same cookie a sign-in link yields), calls
 * server actions by their id from .next/server/server-reference-manifest.json, and counts the
 * emails each loop caused in the outbox.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import pg from "pg";
import { DEMO } from "@/db/seed";
import { findChromium } from "@/e2e/browser";
import { localApp } from "./scratch-database";

const { base: BASE, dbUrl: DB_URL } = localApp("bench/abuse.ts", "http://127.0.0.1:3022");
const ORG = DEMO.orgId;
const SEARCH_PROD = DEMO.searchProdId;
const membersPath = `/orgs/${ORG}/projects/${SEARCH_PROD}/members`;
const INVITE_SECONDS = Number(process.env.BENCH_INVITE_SECONDS ?? 60);
const ADD_SECONDS = Number(process.env.BENCH_ADD_SECONDS ?? 30);

const db = new pg.Client({ connectionString: DB_URL });
await db.connect();
const q = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await db.query<T>(text, values)).rows;

const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, { exportedName: string }>;
};
const actionId = (name: string) => Object.entries(manifest.node).find(([, v]) => v.exportedName === name)![0];

async function session(email: string): Promise<string> {
  const token = randomBytes(24).toString("hex");
  await q("insert into sessions (session_token, user_id, expires) select $1, id, now() + interval '1 hour' from users where email = $2", [
    token,
    email,
  ]);
  return token;
}

async function action(name: string, path: string, arg: unknown, cookie: string): Promise<{ ok?: boolean; data?: unknown; code?: string }> {
  const response = await fetch(BASE + path, {
    method: "POST",
    headers: {
      "next-action": actionId(name),
      "content-type": "text/plain;charset=UTF-8",
      origin: BASE,
      cookie: `authjs.session-token=${cookie}`,
    },
    body: JSON.stringify([arg]),
  });
  const line = (await response.text()).split("\n").find((l) => l.startsWith("1:"));
  return line ? JSON.parse(line.slice(2)) : {};
}

const count = async (to: string, kind: string, since: Date) =>
  Number(
    (
      await q<{ n: string }>('select count(*) as n from email_outbox where lower("to") like $1 and kind = $2 and created_at >= $3', [
        to,
        kind,
        since,
      ])
    )[0]!.n,
  );

// ── 1. invite → revoke → invite, one admin, one address, for INVITE_SECONDS ──
const admin = await session("admin@acme.test");
const victim = `flood-${randomBytes(3).toString("hex")}@example.com`;
let started = new Date();
let rounds = 0;
let outcomes: Record<string, number> = {};
while (Date.now() - started.getTime() < INVITE_SECONDS * 1000) {
  const r = await action(
    "inviteUsersAction",
    membersPath,
    { orgId: ORG, projectId: SEARCH_PROD, emails: victim, role: "read_only" },
    admin,
  );
  const outcome = (r.data as { outcome: string; invitationId?: string }[] | undefined)?.[0];
  outcomes[outcome?.outcome ?? r.code ?? "?"] = (outcomes[outcome?.outcome ?? r.code ?? "?"] ?? 0) + 1;
  if (outcome?.invitationId)
    await action("revokeInvitationAction", membersPath, { orgId: ORG, projectId: SEARCH_PROD, invitationId: outcome.invitationId }, admin);
  rounds++;
}
console.log(
  `invite → revoke loop, ${INVITE_SECONDS} s: ${rounds} invites tried ${JSON.stringify(outcomes)}; ` +
    `invitation emails to ${victim}: ${await count(victim, "invitation", started)} (before: 171)`,
);

// ── 2. add → remove, one admin, one organization member, for ADD_SECONDS ──
const member = (await q<{ id: string }>("select id from users where email = 'member@acme.test'"))[0]!.id;
await q("delete from project_memberships where project_id = $1 and user_id = $2", [SEARCH_PROD, member]);
started = new Date();
rounds = 0;
outcomes = {};
while (Date.now() - started.getTime() < ADD_SECONDS * 1000) {
  const r = await action(
    "inviteUsersAction",
    membersPath,
    { orgId: ORG, projectId: SEARCH_PROD, emails: "member@acme.test", role: "read_only" },
    admin,
  );
  const outcome = (r.data as { outcome: string }[] | undefined)?.[0]?.outcome ?? r.code ?? "?";
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  await action("removeCollaboratorAction", membersPath, { orgId: ORG, projectId: SEARCH_PROD, userId: member }, admin);
  rounds++;
}
console.log(
  `add → remove loop, ${ADD_SECONDS} s: ${rounds} adds ${JSON.stringify(outcomes)}; ` +
    `"added" notices to member@acme.test: ${await count("member@acme.test", "added_to_project", started)} (before: 114)`,
);

// ── 3. sign-in links with a rotating X-Forwarded-For ──
// The sign-in form is a FormData action: capture one real submission from Chromium, replay it.
const browser = await chromium.launch({
  executablePath: findChromium(),
  args: ["--no-sandbox", "--disable-gpu"],
});
const page = await browser.newPage();
await page.goto(`${BASE}/sign-in`);
const probe = `probe-${randomBytes(3).toString("hex")}@example.com`;
await page.getByLabel("Email address").fill(probe);
const [request] = await Promise.all([
  page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
  page.getByRole("button", { name: "Send sign-in link" }).click(),
]);
const captured = { headers: request.headers(), body: request.postData() ?? "" };
await browser.close();
async function signInRequest(email: string, forwardedFor: string): Promise<void> {
  const headers = Object.fromEntries(Object.entries(captured.headers).filter(([k]) => !["content-length", "cookie"].includes(k)));
  await fetch(`${BASE}/sign-in`, {
    method: "POST",
    headers: { ...headers, "x-forwarded-for": forwardedFor },
    body: captured.body.replaceAll(probe, email),
  });
}
const signInTarget = `person-${randomBytes(3).toString("hex")}@example.com`;
started = new Date();
for (let i = 0; i < 33; i++) {
  const [local, domain] = signInTarget.split("@");
  await signInRequest(i % 2 ? `${local}+${i}@${domain}` : signInTarget.toUpperCase(), `198.51.100.${i + 1}`);
}
const sentToOne = Number(
  (
    await q<{ n: string }>("select count(*) as n from email_outbox where kind = 'sign_in' and \"to\" like $1 and created_at >= $2", [
      `${signInTarget.split("@")[0]}%`,
      started,
    ])
  )[0]!.n,
);
console.log(
  `sign-in: 33 requests for one inbox (case and +tag variants), rotating X-Forwarded-For: ${sentToOne} links sent (before: 33 of 33)`,
);
started = new Date();
for (let i = 0; i < 100; i++) await signInRequest(`spray-${i}-${randomBytes(2).toString("hex")}@example.com`, `203.0.113.${i + 1}`);
const sprayed = Number(
  (
    await q<{ n: string }>("select count(*) as n from email_outbox where kind = 'sign_in' and \"to\" like 'spray-%' and created_at >= $1", [
      started,
    ])
  )[0]!.n,
);
console.log(
  `sign-in: 100 requests for 100 addresses, rotating X-Forwarded-For, within ${Math.round((Date.now() - started.getTime()) / 1000)} s: ` +
    `${sprayed} links sent (global ceiling SIGN_IN_LIMIT_GLOBAL_PER_MINUTE)`,
);

// ── 4. response headers ──
const token = randomBytes(32).toString("base64url");
const [invitation] = await q<{ id: string }>(
  `insert into invitations (org_id, email, org_role, token_hash, expires_at, last_sent_at) ` +
    `values ($1, $2, 'member', $3, now() + interval '47 hours', now()) returning id`,
  [ORG, `headers-${randomBytes(3).toString("hex")}@example.com`, createHash("sha256").update(token).digest("base64url")],
);
await q("insert into invitation_project_grants (invitation_id, org_id, project_id, role) values ($1, $2, $3, 'read_only')", [
  invitation!.id,
  ORG,
  SEARCH_PROD,
]);
for (const [label, path, cookie] of [
  ["/sign-in", "/sign-in", undefined],
  ["members page", membersPath, admin],
  ["/invite/<token>", `/invite/${token}`, undefined],
] as const) {
  const response = await fetch(BASE + path, { headers: cookie ? { cookie: `authjs.session-token=${cookie}` } : {}, redirect: "manual" });
  console.log(`\n${label} → ${response.status}`);
  for (const [k, v] of response.headers)
    if (/security|frame|content-type-options|referrer|permissions|opener|transport/.test(k))
      console.log(`  ${k}: ${v.replace(/nonce-[^']+/, "nonce-…")}`);
}
await db.end();
