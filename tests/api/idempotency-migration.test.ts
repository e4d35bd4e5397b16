import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrationsFolder, openDatabase, type Database, type DatabaseKind } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { requestHash } from "@/lib/api/idempotency";
import { hashApiKeySecret } from "@/lib/membership/keys/key-rules";
import { api } from "./helpers";

/** The committed migrations up to and including `last`, in a folder of their own. */
function migrationsUpTo(last: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), "migrations-"));
  cpSync(migrationsFolder, dir, { recursive: true });
  const journalFile = path.join(dir, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { idx: number }[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx <= last) }));
  return dir;
}

async function emptyDatabase(kind: DatabaseKind): Promise<Database & { drop: () => Promise<void> }> {
  if (kind === "pglite") return { ...openDatabase({ pgliteDir: "memory://" }), drop: async () => undefined };
  const base = inject("testServerUrl");
  const name = `mc_migration_${randomBytes(4).toString("hex")}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: base });
    await client.connect();
    await client.query(text);
    await client.end();
  };
  await admin(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { ...openDatabase({ url: url.toString(), max: 2 }), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

describe.each(["pglite", "postgres"] as const)("answers stored before 0007 on %s", (kind) => {
  let database: Awaited<ReturnType<typeof emptyDatabase>>;
  const secret = `mck_${randomBytes(32).toString("base64url")}`;
  const ids = {
    user: "10000000-0000-4000-8000-000000000001",
    org: "20000000-0000-4000-8000-000000000002",
    key: "30000000-0000-4000-8000-000000000003",
  };
  const invitationId = "40000000-0000-4000-8000-000000000004";
  const problem = { type: "/api/v1/problems#not-found", title: "Not found", status: 404, detail: "No such invitation.", code: "NOT_FOUND" };

  beforeAll(async () => {
    database = await emptyDatabase(kind);
    const upTo6 = migrationsUpTo(6);
    try {
      await migrateDatabase(database, upTo6);
    } finally {
      rmSync(upTo6, { recursive: true, force: true });
    }
    await database.exec(`
      insert into users (id, email) values ('${ids.user}', 'owner@example.com');
      insert into organizations (id, name) values ('${ids.org}', 'Old answers');
      insert into organization_memberships (org_id, user_id, role) values ('${ids.org}', '${ids.user}', 'owner');
      insert into api_keys (id, org_id, name, prefix, secret_hash, scope, created_by_id, created_by_email)
        values ('${ids.key}', '${ids.org}', 'old', '${secret.slice(0, 12)}', '${hashApiKeySecret(secret)}', 'organization', '${ids.user}', 'owner@example.com');
      insert into api_idempotency_keys (api_key_id, key, request_hash, status, body, expires_at) values
        ('${ids.key}', 'old-link', 'hash-1', 200, '{"url":"http://console.test/invite/SECRET-TOKEN","expiresAt":"2026-12-01T00:00:00.000Z"}',
          now() + interval '1 hour'),
        ('${ids.key}', 'old-refusal', 'hash-2', 404, '${JSON.stringify(problem)}', now() + interval '1 hour'),
        ('${ids.key}', 'old-success', 'hash-3', 201, '{"id":"p1","name":"Kept"}', now() + interval '1 hour');
    `);
    await migrateDatabase(database);
  });
  afterAll(async () => {
    await database.close();
    await database.drop();
  });

  it("lose the invitation links they held, and keep every other answer as replayable text with its content type", async () => {
    const { rows } = (await database.db.execute(
      sql`select key, status, body, content_type, body_withheld from api_idempotency_keys order by key`,
    )) as unknown as {
      rows: { key: string; status: number; body: string | null; content_type: string; body_withheld: boolean }[];
    };
    expect(rows.map((r) => ({ ...r, body: r.body === null ? null : (JSON.parse(r.body) as unknown) }))).toEqual([
      { key: "old-link", status: 200, body: null, content_type: "application/json", body_withheld: true },
      { key: "old-refusal", status: 404, body: problem, content_type: "application/problem+json", body_withheld: false },
      { key: "old-success", status: 201, body: { id: "p1", name: "Kept" }, content_type: "application/json", body_withheld: false },
    ]);
    const all = (await database.db.execute(sql`select string_agg(t::text, ' ') as txt from api_idempotency_keys t`)) as unknown as {
      rows: { txt: string }[];
    };
    expect(all.rows[0]!.txt).not.toContain("SECRET-TOKEN");
  });

  it("a retry of the old link request is told the link was not kept", async () => {
    // The seeded row's hash was a placeholder: give it the hash of the request retried below.
    const linkPath = `/api/v1/organizations/${ids.org}/invitations/${invitationId}/link`;
    await database.exec(
      `update api_idempotency_keys set request_hash = '${requestHash("POST", linkPath, {}, null)}' where key = 'old-link'`,
    );
    const answer = await api(database.db, secret, "POST", `/organizations/${ids.org}/invitations/${invitationId}/link`, {
      headers: { "idempotency-key": "old-link" },
    });
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe("IDEMPOTENT_SECRET_NOT_KEPT");
  });
});
