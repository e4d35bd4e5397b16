import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, testTargets, type TestDatabase } from "./db";

describe.each(testTargets())("database on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database.close();
  });

  it("has every table after migrating", async () => {
    const result = await database.db.execute(sql`select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name in ('users','organizations','projects','project_memberships','invitations','email_outbox','activity','mailbox_messages')`);
    expect((result as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(8);
  });
});
