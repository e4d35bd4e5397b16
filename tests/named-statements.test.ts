import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type pg from "pg";
import { openDatabase, type Db } from "@/db/client";
import { statementNamer } from "@/db/named-statements";
import { users } from "@/db/schema";
import { testTargets, useTestDatabase } from "./db";

describe("statementNamer", () => {
  it("names a text the second time it is seen, always with the same name", () => {
    const name = statementNamer();
    expect(name("select $1")).toBeUndefined();
    const given = name("select $1");
    expect(given).toMatch(/^mc_[\w-]{24}$/);
    expect(name("select $1")).toBe(given);
    expect(statementNamer({ after: 1 })("select $1")).toBe(given);
  });

  it("gives different texts different names", () => {
    const name = statementNamer({ after: 1 });
    expect(name("select $1")).not.toBe(name("select $1::int"));
  });

  it("names at most `limit` texts; the ones named keep their names", () => {
    const name = statementNamer({ limit: 2, after: 1 });
    const first = name("select 1 where $1");
    const second = name("select 2 where $1");
    for (let i = 0; i < 5; i++) expect(name("select 3 where $1")).toBeUndefined();
    expect(name("select 1 where $1")).toBe(first);
    expect(name("select 2 where $1")).toBe(second);
  });
});

const servers = testTargets().filter((kind) => kind === "postgres");

describe.each(servers)("named statements on %s", (kind) => {
  const database = useTestDatabase(kind, { max: 1 });

  const prepared = async (db: Db): Promise<string[]> => {
    const result = (await db.execute(sql`select statement from pg_prepared_statements order by statement`)) as unknown as {
      rows: { statement: string }[];
    };
    return result.rows.map((r) => r.statement);
  };
  const userByEmail = (db: Db, email: string) => db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email));

  it("prepares a statement with parameters once it comes again, and reads the same rows as unnamed", async () => {
    const db = database.db;
    await db.insert(users).values({ email: "named@example.test" });
    const text = userByEmail(db, "x").toSQL().sql;
    const once = await userByEmail(db, "named@example.test");
    expect(await prepared(db)).not.toContain(text);
    const twice = await userByEmail(db, "named@example.test");
    expect(await prepared(db)).toContain(text);
    const thrice = await userByEmail(db, "named@example.test");
    expect(twice).toEqual(once);
    expect(thrice).toEqual(once);
    expect(once).toHaveLength(1);

    const plain = openDatabase({ url: database.url!, max: 1, nameStatements: false });
    try {
      await userByEmail(plain.db, "named@example.test");
      await userByEmail(plain.db, "named@example.test");
      expect(await prepared(plain.db)).toEqual([]);
      expect(await userByEmail(plain.db, "named@example.test")).toEqual(once);
    } finally {
      await plain.close();
    }
  });

  it("sends statements without parameters as they were, several in one text included", async () => {
    const db = database.db;
    for (let i = 0; i < 3; i++) await database.exec("select 1; select 2");
    for (let i = 0; i < 3; i++) await db.execute(sql`select count(*) from users`);
    expect((await prepared(db)).filter((s) => s.includes("count(*)") || s.includes("select 1"))).toEqual([]);
  });

  it("keeps working when a table it reads changes under it", async () => {
    const db = database.db;
    await userByEmail(db, "named@example.test");
    await userByEmail(db, "named@example.test");
    expect(await prepared(db)).toContain(userByEmail(db, "x").toSQL().sql);
    await database.exec("alter table users add column named_statements_probe text");
    expect(await userByEmail(db, "named@example.test")).toHaveLength(1);
    await database.exec("alter table users drop column named_statements_probe");
    expect(await userByEmail(db, "named@example.test")).toHaveLength(1);
  });

  it("survives a statement refused in an aborted transaction and a rollback", async () => {
    const db = database.db;
    const pool = (db as unknown as { $client: pg.Pool }).$client;
    const text = "select $1::text as echo, 'aborted' as probe";
    await pool.query(text, ["a"]);
    const client = await pool.connect();
    try {
      await client.query("begin");
      await expect(client.query("select 1/0")).rejects.toThrow(/division by zero/);
      // The second sight names it; its preparation is refused, since the transaction is aborted.
      await expect(client.query(text, ["b"])).rejects.toThrow(/aborted/);
      await client.query("rollback");
      expect((await client.query(text, ["c"])).rows).toEqual([{ echo: "c", probe: "aborted" }]);
      expect((await client.query(text, ["d"])).rows).toEqual([{ echo: "d", probe: "aborted" }]);
    } finally {
      client.release();
    }
    expect(await prepared(db)).toContain(text);
  });

  it("prepares on every connection of a pool that many requests share at once", async () => {
    const wide = database.connectAgain(5);
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => wide.db.execute(sql`select ${i}::int as n, 'wide' as probe`)));
    expect(answers.map((a) => (a as unknown as { rows: { n: number }[] }).rows[0]!.n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const connections = (wide.db as unknown as { $client: pg.Pool }).$client.totalCount;
    expect(connections).toBeGreaterThan(1);
  });
});
