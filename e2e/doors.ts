import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, type APIRequestContext } from "@playwright/test";
import { invitationToken } from "../tests/shared-fixtures";
import { sql } from "./db";

/**
 * Calling the app's doors directly, as a hostile client would: server actions by their id from
 * the production build's manifest, with a real database session cookie (or none), and the
 * database read from outside (e2e/db.ts) to prove a refusal changed nothing.
 */
/** A database session for the user with this address (created if needed, with no organization). */
export async function sessionFor(email: string): Promise<string> {
  const [user] = await sql<{ id: string }>(
    "insert into users (id, email, name) values (gen_random_uuid()::text, $1, 'Door Tester') " +
      "on conflict (email) do update set email = excluded.email returning id",
    [email],
  );
  const token = randomBytes(24).toString("hex");
  await sql("insert into sessions (session_token, user_id, expires) values ($1, $2, now() + interval '1 day')", [token, user!.id]);
  return token;
}

export async function userId(email: string): Promise<string> {
  const [row] = await sql<{ id: string }>("select id from users where email = $1", [email]);
  return row!.id;
}

/** A pending invitation with a known token, sent two minutes ago (so a resend is allowed). */
export async function insertInvitation(orgId: string, projectId: string, email: string): Promise<{ id: string; token: string }> {
  const { token, tokenHash: hash } = invitationToken();
  // A project invitation: an organization invitation (role member) with one project grant.
  const [row] = await sql<{ id: string }>(
    `insert into invitations (org_id, email, org_role, token_hash, status, expires_at, last_sent_at)
     values ($1, $2, 'member', $3, 'pending', now() + interval '47 hours', now() - interval '2 minutes') returning id`,
    [orgId, email, hash],
  );
  await sql("insert into invitation_project_grants (invitation_id, org_id, project_id, role) values ($1, $2, $3, 'read_only')", [
    row!.id,
    orgId,
    projectId,
  ]);
  return { id: row!.id, token };
}

/** Makes the user Organization Owner of the organization and Project Admin of its project. */
export async function makeOwner(orgId: string, projectId: string, ownerId: string): Promise<void> {
  await sql("insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'owner')", [orgId, ownerId]);
  await sql("insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, 'admin')", [
    orgId,
    projectId,
    ownerId,
  ]);
}

/**
 * An organization of its own named `name`, with a default project "Search" and its Owner (Project
 * Admin of it) signed in: `session` is the Owner's database session.
 */
export async function createOwnedOrganization(
  name: string,
  ownerEmail: string,
): Promise<{ orgId: string; projectId: string; session: string }> {
  const orgId = randomUUID();
  const projectId = randomUUID();
  await sql("insert into organizations (id, name) values ($1, $2)", [orgId, name]);
  await sql("insert into projects (id, org_id, name, is_default) values ($1, $2, 'Search', true)", [projectId, orgId]);
  const session = await sessionFor(ownerEmail);
  await makeOwner(orgId, projectId, await userId(ownerEmail));
  return { orgId, projectId, session };
}

/** A second tenant: an organization with its owner (who is Project Admin of its project). */
export async function createForeignTenant(): Promise<{ orgId: string; projectId: string; ownerEmail: string }> {
  const orgId = randomUUID();
  const projectId = randomUUID();
  const ownerEmail = `foreign-owner-${randomBytes(4).toString("hex")}@example.org`;
  await sql("insert into organizations (id, name) values ($1, 'Foreign Org')", [orgId]);
  await sql("insert into projects (id, org_id, name) values ($1, $2, 'Foreign Project')", [projectId, orgId]);
  const [owner] = await sql<{ id: string }>(
    "insert into users (id, email, name) values (gen_random_uuid()::text, $1, 'Foreign Owner') returning id",
    [ownerEmail],
  );
  await makeOwner(orgId, projectId, owner!.id);
  return { orgId, projectId, ownerEmail };
}

/**
 * Every membership, invitation, project, API key, domain and webhook endpoint row, and the number of
 * emails, activity records, webhook events and deliveries (the job runner changes a delivery's
 * status on its own, so only their number is compared).
 */
export async function snapshot(): Promise<string> {
  const parts = await sql<{ part: string }>(
    `select concat_ws('|',
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from (select org_id, user_id, role from organization_memberships) t),
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from (select project_id, user_id, role from project_memberships) t),
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from (select id, status, token_hash, last_sent_at from invitations) t),
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from (select id, name from users) t),
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from (select id, revoked_at from api_keys) t),
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from (select id, status, failure, last_checked_at from org_domains) t),
       (select md5(coalesce(string_agg(t::text, ',' order by t::text), ''))
         from (select id, url, event_types, secret_sealed, previous_secret_sealed from webhook_endpoints) t),
       (select count(*) from webhook_events), (select count(*) from webhook_deliveries),
       (select count(*) from projects), (select count(*) from organizations),
       (select count(*) from email_outbox), (select count(*) from activity)) as part`,
  );
  return parts[0]!.part;
}

const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, { exportedName: string }>;
};

/** The id of a server action in the build the e2e server runs. */
export function actionId(name: string): string {
  const id = Object.entries(manifest.node).find(([, v]) => v.exportedName === name)?.[0];
  if (!id) throw new Error(`no server action ${name} in .next/server/server-reference-manifest.json`);
  return id;
}

export interface ActionCall {
  status: number;
  /** The action's return value, or null when the action never ran (redirect, refusal before it). */
  result: { ok: boolean; code?: string; data?: unknown; message?: string } | null;
}

/** Calls a server action with JSON arguments, as React's client would, from this site's origin. */
export async function callAction(
  request: APIRequestContext,
  path: string,
  name: string,
  args: unknown[],
  session?: string,
): Promise<ActionCall> {
  const response = await request.post(path, {
    headers: {
      "next-action": actionId(name),
      "content-type": "text/plain;charset=UTF-8",
      origin: `http://127.0.0.1:${process.env.E2E_PORT ?? 3100}`,
      accept: "text/x-component",
      ...(session ? { cookie: `authjs.session-token=${session}` } : {}),
    },
    data: JSON.stringify(args),
    maxRedirects: 0,
  });
  const text = await response.text();
  const line = text.split("\n").find((l) => l.startsWith("1:"));
  let result: ActionCall["result"] = null;
  if (line) {
    try {
      result = JSON.parse(line.slice(2)) as ActionCall["result"];
    } catch {
      result = null;
    }
  }
  return { status: response.status(), result };
}

/** A refused call: an error result (or no run at all) and not a single row changed. */
export async function expectRefusedUnchanged(call: () => Promise<ActionCall>, label: string): Promise<ActionCall> {
  const before = await snapshot();
  const outcome = await call();
  expect(outcome.status, `${label}: status`).toBeLessThan(500);
  expect(outcome.result?.ok ?? false, `${label}: ${JSON.stringify(outcome.result)}`).toBe(false);
  expect(await snapshot(), `${label}: rows changed`).toBe(before);
  return outcome;
}
