import { describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import type pg from "pg";
import { openDatabase, type Db } from "@/db/client";
import { statementNamer } from "@/db/named-statements";
import { users } from "@/db/schema";
import { testTargets, useTestDatabase } from "./db";

describe("statementNamer", () => {
  it("names a text the second time it is seen, always with the same name", () => {
    const namer = statementNamer();
    expect(namer.nameOf("select $1")).toBeUndefined();
    const given = namer.nameOf("select $1");
    expect(given).toMatch(/^mc_[\w-]{24}$/);
    expect(namer.nameOf("select $1")).toBe(given);
    expect(statementNamer({ after: 1 }).nameOf("select $1")).toBe(given);
  });

  it("gives different texts different names", () => {
    const namer = statementNamer({ after: 1 });
    expect(namer.nameOf("select $1")).not.toBe(namer.nameOf("select $1::int"));
  });

  it("names at most `limit` texts; the ones named keep their names", () => {
    const namer = statementNamer({ limit: 2, after: 1 });
    const first = namer.nameOf("select 1 where $1");
    const second = namer.nameOf("select 2 where $1");
    for (let i = 0; i < 5; i++) expect(namer.nameOf("select 3 where $1")).toBeUndefined();
    expect(namer.nameOf("select 1 where $1")).toBe(first);
    expect(namer.nameOf("select 2 where $1")).toBe(second);
  });

  it("gives a renewed text a new name each time, and leaves other texts and unnamed ones alone", () => {
    const namer = statementNamer({ after: 1 });
    const first = namer.nameOf("select 1 where $1");
    const other = namer.nameOf("select 2 where $1");
    namer.renew("select 1 where $1");
    const second = namer.nameOf("select 1 where $1");
    namer.renew("select 1 where $1");
    const third = namer.nameOf("select 1 where $1");
    expect(new Set([first, second, third]).size).toBe(3);
    expect(namer.nameOf("select 2 where $1")).toBe(other);
    namer.renew("never named $1");
    expect(statementNamer({ after: 2 }).nameOf("never named $1")).toBeUndefined();
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

  it("fails once when a migration changes the type of a column it returns, then is prepared afresh", async () => {
    const db = database.db;
    const pool = (db as unknown as { $client: pg.Pool }).$client;
    await database.exec("create table named_probe (id int primary key, label varchar(20)); insert into named_probe values (1, 'a')");
    const text = "select label from named_probe where id = $1";
    await pool.query(text, [1]);
    await pool.query(text, [1]);
    expect(await prepared(db)).toContain(text);
    // What a rolling deploy may do under a running app: widen a column the statement returns.
    await database.exec("alter table named_probe alter column label type text");
    await expect(pool.query(text, [1])).rejects.toThrow(/cached plan must not change result type/);
    expect((await pool.query(text, [1])).rows).toEqual([{ label: "a" }]);
    expect((await pool.query(text, [1])).rows).toEqual([{ label: "a" }]);
    // Through a checked-out client (a transaction's), whose query answers by a promise.
    await database.exec("alter table named_probe alter column label type varchar(30)");
    const client = await pool.connect();
    try {
      await expect(client.query(text, [1])).rejects.toThrow(/cached plan must not change result type/);
      expect((await client.query(text, [1])).rows).toEqual([{ label: "a" }]);
    } finally {
      client.release();
    }
    await database.exec("drop table named_probe");
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
