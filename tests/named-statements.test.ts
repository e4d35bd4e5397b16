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

  it("gives a renewed name's text a new name, once per name however many uses failed under it", () => {
    const namer = statementNamer({ after: 1 });
    const first = namer.nameOf("select 1 where $1")!;
    const other = namer.nameOf("select 2 where $1");
    namer.renew("select 1 where $1", first);
    const second = namer.nameOf("select 1 where $1")!;
    // A use that was in flight under the first name fails too: it renews nothing more.
    namer.renew("select 1 where $1", first);
    expect(namer.nameOf("select 1 where $1")).toBe(second);
    namer.renew("select 1 where $1", second);
    const third = namer.nameOf("select 1 where $1");
    expect(new Set([first, second, third]).size).toBe(3);
    expect(namer.nameOf("select 2 where $1")).toBe(other);
  });

  it("does not name a text by renewing it", () => {
    const namer = statementNamer({ after: 2 });
    expect(namer.nameOf("select 4 where $1")).toBeUndefined();
    namer.renew("select 4 where $1", "mc_anything");
    expect(namer.nameOf("select 4 where $1")).toBe(statementNamer({ after: 1 }).nameOf("select 4 where $1"));
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
    const pool = (wide.db as unknown as { $client: pg.Pool }).$client;
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => wide.db.execute(sql`select ${i}::int as n, 'wide' as probe`)));
    expect(answers.map((a) => (a as unknown as { rows: { n: number }[] }).rows[0]!.n)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    // Named once for the pool, prepared by each connection on its own first use.
    const clients = await Promise.all(Array.from({ length: 5 }, () => pool.connect()));
    try {
      for (const client of clients) {
        expect((await client.query("select $1::int as n, 'wide' as probe", [7])).rows).toEqual([{ n: 7, probe: "wide" }]);
        const kept = await client.query("select statement from pg_prepared_statements");
        expect(kept.rows.map((r: { statement: string }) => r.statement)).toContain("select $1::int as n, 'wide' as probe");
      }
    } finally {
      for (const client of clients) client.release();
    }
  });

  it("answers through a callback given with a config, and recovers from a value pg could not send", async () => {
    const pool = (database.db as unknown as { $client: pg.Pool }).$client;
    const text = "select $1::int as n, 'callback' as probe";
    const client = await pool.connect();
    try {
      const viaCallback = () =>
        new Promise((resolve, reject) =>
          client.query({ text, values: [3] }, (err: Error | null, result: { rows: unknown[] }) =>
            err ? reject(err) : resolve(result.rows),
          ),
        );
      expect(await viaCallback()).toEqual([{ n: 3, probe: "callback" }]);
      expect(await viaCallback()).toEqual([{ n: 3, probe: "callback" }]);
      expect((await client.query("select statement from pg_prepared_statements")).rows).toContainEqual({ statement: text });
      const unsendable = {
        toPostgres() {
          throw new Error("this value cannot be sent");
        },
      };
      await expect(client.query(text, [unsendable])).rejects.toThrow(/cannot be sent/);
      expect((await client.query(text, [4])).rows).toEqual([{ n: 4, probe: "callback" }]);
      expect((await client.query(text, [5])).rows).toEqual([{ n: 5, probe: "callback" }]);
    } finally {
      client.release();
    }
  });
});
