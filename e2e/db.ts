import { randomBytes } from "node:crypto";
import pg from "pg";
import { DEMO } from "@/db/seed";

/**
 * The end-to-end tests' one way into the database, for setup that the UI cannot do (a fresh
 * project per test, so tests never share state; moving an invitation's clock) and for reading it
 * from outside (e2e/doors.ts). Email links are never read from here, only from the mailbox.
 */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** One statement on its own connection; the rows it returns. */
export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return withClient(async (client) => (await client.query<T>(text, values)).rows);
}

/** The demo organization (db/seed.ts). */
export const ORG_ID = DEMO.orgId;

export type Role = "admin" | "read_write" | "read_only";

/** A new project in Acme Vector with the given demo users as collaborators. */
export async function createProject(members: Record<string, Role>): Promise<{ id: string; name: string; path: string }> {
  const name = `Project ${randomBytes(3).toString("hex")}`;
  return withClient(async (client) => {
    const { rows } = await client.query<{ id: string }>("insert into projects (org_id, name) values ($1, $2) returning id", [ORG_ID, name]);
    const id = rows[0]!.id;
    for (const [email, role] of Object.entries(members)) {
      await client.query(
        "insert into project_memberships (org_id, project_id, user_id, role) select $1, $2, id, $4 from users where email = $3",
        [ORG_ID, id, email, role],
      );
    }
    return { id, name, path: `/orgs/${ORG_ID}/projects/${id}/members` };
  });
}

/** Moves a pending invitation's send time (and so its expiry) into the past. */
export async function ageInvitation(projectId: string, email: string, hours: number): Promise<void> {
  await withClient(async (client) => {
    const result = await client.query(
      `update invitations set last_sent_at = last_sent_at - make_interval(secs => $3 * 3600), expires_at = expires_at - make_interval(secs => $3 * 3600)
       where email = $2 and status = 'pending' and id in (select invitation_id from invitation_project_grants where project_id = $1)`,
      [projectId, email, hours],
    );
    if (result.rowCount !== 1) throw new Error(`no pending invitation for ${email}`);
  });
}

export { uniqueEmail } from "../tests/shared-fixtures";

/** A new organization member (with an account) who collaborates on the given project. */
export async function createOrgMember(email: string, projectId: string, role: Role): Promise<void> {
  await createNamedMember(email, "Temp Person", projectId, role);
}

/** Sets the state of the newest email of an invitation (delivery words), as the sender would. */
export async function setDelivery(
  email: string,
  state: { status: "pending" | "sent" | "failed"; attempts: number; lastError: string | null },
): Promise<void> {
  await withClient(async (client) => {
    const result = await client.query(
      `update email_outbox set status = $2, attempts = $3, last_error = $4, next_attempt_at = now() + interval '1 day', locked_until = null
       where id = (select id from email_outbox where "to" = $1 and invitation_id is not null order by created_at desc limit 1)`,
      [email, state.status, state.attempts, state.lastError],
    );
    if (result.rowCount !== 1) throw new Error(`no invitation email to ${email}`);
  });
}

/** A new organization member with this name, collaborating on the project. */
export async function createNamedMember(email: string, name: string, projectId: string, role: Role): Promise<void> {
  await withClient(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      "insert into users (id, email, name) values (gen_random_uuid()::text, $1, $2) returning id",
      [email, name],
    );
    await client.query("insert into organization_memberships (org_id, user_id, role) values ($1, $2, 'member')", [ORG_ID, rows[0]!.id]);
    await client.query("insert into project_memberships (org_id, project_id, user_id, role) values ($1, $2, $3, $4)", [
      ORG_ID,
      projectId,
      rows[0]!.id,
      role,
    ]);
  });
}
