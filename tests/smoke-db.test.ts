import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testTargets, useTestDatabase } from "./db";

describe.each(testTargets())("database on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("has every table after migrating", async () => {
    const result = await database.db.execute(
      sql`select count(*)::int as n from information_schema.tables where table_schema = 'public'
        and table_name in ('users','organizations','projects','project_memberships','invitations','email_outbox','activity','mailbox_messages')`,
    );
    expect((result as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(8);
  });
});
