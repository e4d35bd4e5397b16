import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activity } from "@/db/schema";
import { exportOrganizationActivity, type Actor } from "@/lib/membership";
import { ACTIVITY_EXPORT_COLUMNS, activityExportStream, csvField } from "@/lib/membership/activity/activity-export-file";
import { activityExportPages, type ActivityExportRow } from "@/lib/membership/activity/activity-export-pages";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, expectNothingChanged, worldOrgIds, type World } from "../membership/fixtures";

/** A small RFC 4180 reader (no kept CSV library is installed): quoted fields, doubled quotes, CRLF records. */
function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += c;
  }
  expect(field + record.join(""), "the file ends with CRLF").toBe("");
  return records;
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

const ownerOf = (w: World): Actor => w.actors.owner;

/** n records one second apart from `start`, every fourth one with a project, actor and target ids. */
async function seed(db: Db, w: World, n: number, start: string): Promise<void> {
  await db.execute(sql`
    insert into activity (org_id, project_id, actor_id, actor_email, action, target_email, target_user_id, old_role, new_role, detail, created_at)
    select ${w.org.id}::uuid, case when g % 4 = 0 then ${w.project.id}::uuid end, ${w.actors.owner.id}, ${w.actors.owner.email},
           case when g % 2 = 0 then 'member.role_changed' else 'invitation.created' end,
           'person' || g || '@example.test', 'user-' || g, 'read_only', 'admin', null,
           ${start}::timestamptz + (g || ' seconds')::interval
    from generate_series(1, ${n}) g`);
}

describe.each(testTargets())("audit export on %s", (kind) => {
  const database = useTestDatabase(kind);
  // The 100,000 on the server; on PGlite (the single-connection database of `npm run dev`,
  // where the same code runs) 5,000 are five pages, which proves the same paging in a tenth of the time.
  const count = kind === "postgres" ? 100_000 : 5_000;

  it(`exports ${count.toLocaleString("en-US")} records in both formats row for row as the activity table holds them, one page per read`, async () => {
    const db = database.db;
    const w = await buildWorld(db);
    await seed(db, w, count, "2025-03-01T00:00:00Z");
    // The other tenant's records in the same range never appear.
    await db.execute(
      sql`insert into activity (org_id, action, created_at)
        select ${w.foreign.org.id}::uuid, 'project.created', '2025-03-01'::timestamptz + (g || ' minutes')::interval
        from generate_series(1, 500) g`,
    );
    type Expected = { id: string; at: string; target_user_id: string; project_id: string | null; target_email: string };
    const expected = (
      (await db.execute(
        sql`select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, target_user_id, project_id, target_email
            from activity where org_id = ${w.org.id} and created_at >= '2025-03-01' and created_at < '2025-04-01' order by created_at, id`,
      )) as unknown as { rows: Expected[] }
    ).rows;
    expect(expected).toHaveLength(count);

    const csv = await exportOrganizationActivity(db, ownerOf(w), { orgId: w.org.id, from: "2025-03-01", to: "2025-04-01", format: "csv" });
    expect(csv.fileName).toBe(`org-a-${w.tag}-activity-2025-03-01-to-2025-03-31.csv`);
    const [header, ...rows] = readCsv(await readAll(csv.body));
    expect(header).toEqual([...ACTIVITY_EXPORT_COLUMNS]);
    expect(rows).toHaveLength(count);
    const col = (name: (typeof ACTIVITY_EXPORT_COLUMNS)[number]) => ACTIVITY_EXPORT_COLUMNS.indexOf(name);
    expect(rows.map((r) => r[col("id")])).toEqual(expected.map((e) => e.id));
    expect(rows.map((r) => r[col("createdAt")])).toEqual(expected.map((e) => e.at));
    expect(rows.map((r) => `${r[col("targetUserId")]} ${r[col("targetEmail")]} ${r[col("projectId")]}`)).toEqual(
      expected.map((e) => `${e.target_user_id} ${e.target_email} ${e.project_id ?? ""}`),
    );
    expect(rows[1]).toEqual([
      expected[1]!.id,
      expected[1]!.at,
      "member.role_changed",
      `${w.actors.owner.email} changed person2@example.test from Project Read-Only to Project Admin`,
      "person",
      w.actors.owner.id,
      w.actors.owner.email,
      "",
      "",
      "",
      "user-2",
      "person2@example.test",
      "",
      "",
      "read_only",
      "admin",
      "",
    ]);

    const nd = await exportOrganizationActivity(db, ownerOf(w), {
      orgId: w.org.id,
      from: "2025-03-01",
      to: "2025-04-01",
      format: "ndjson",
    });
    expect(nd.contentType).toBe("application/x-ndjson; charset=utf-8");
    const lines = (await readAll(nd.body)).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(count);
    const objects = lines.map((l) => JSON.parse(l) as Record<string, string | null>);
    expect(objects.map((o) => o.id)).toEqual(expected.map((e) => e.id));
    expect(objects.map((o) => o.createdAt)).toEqual(expected.map((e) => e.at));
    expect(Object.keys(objects[3]!)).toEqual([...ACTIVITY_EXPORT_COLUMNS]);
    expect(objects[3]).toMatchObject({
      projectId: w.project.id,
      projectName: w.project.name,
      targetEmail: "person4@example.test",
      oldRole: "read_only",
      detail: null,
    });

    // Memory stays flat: every read of the table brings at most one page.
    const pageSize = 1_000;
    let pages = 0;
    for await (const page of activityExportPages(
      db,
      { orgId: w.org.id, from: "2025-03-01T00:00:00Z", to: "2025-04-01T00:00:00Z" },
      pageSize,
    )) {
      expect(page.length).toBeLessThanOrEqual(pageSize);
      pages++;
    }
    expect(pages).toBe(count / pageSize);
  }, 300_000);

  it("pulls the next page only when its reader has taken the previous one", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    await seed(db, w, 50, "2025-06-01T00:00:00Z");
    let pulled = 0;
    async function* counted(): AsyncGenerator<ActivityExportRow[], void, undefined> {
      for await (const page of activityExportPages(db, { orgId: w.org.id, from: "2025-06-01T00:00:00Z", to: "2025-06-02T00:00:00Z" }, 10)) {
        pulled++;
        yield page;
      }
    }
    const reader = activityExportStream(counted(), "ndjson").getReader();
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    await settle();
    // Nothing read yet: at most the one chunk the stream keeps ready.
    expect(pulled).toBeLessThanOrEqual(1);
    let chunks = 0;
    for (;;) {
      const { done } = await reader.read();
      if (done) break;
      chunks++;
      await settle();
      expect(pulled).toBeLessThanOrEqual(chunks + 1);
    }
    expect(chunks).toBe(5);

    // A record committed after the first page was taken, later in the range, is in the rest of the file: pages are read as they are pulled.
    const again = (
      await exportOrganizationActivity(
        db,
        ownerOf(w),
        { orgId: w.org.id, from: "2025-06-01", to: "2025-06-02", format: "ndjson" },
        { pageSize: 10 },
      )
    ).body.getReader();
    const first = new TextDecoder().decode((await again.read()).value);
    expect(first.trim().split("\n")).toHaveLength(10);
    const late = randomUUID();
    await db.insert(activity).values({ id: late, orgId: w.org.id, action: "project.created", createdAt: new Date("2025-06-01T23:00:00Z") });
    let rest = "";
    for (;;) {
      const { done, value } = await again.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(
      rest
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { id: string }).id),
    ).toContain(late);
  });

  it("includes `from` and excludes `to` to the microsecond; an empty range is a header alone (CSV) or an empty body (NDJSON)", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const at = (s: string) => sql`${s}::timestamptz`;
    const ids = { atFrom: randomUUID(), justBeforeTo: randomUUID(), atTo: randomUUID(), beforeFrom: randomUUID() };
    for (const [id, when] of [
      [ids.beforeFrom, "2025-07-31T23:59:59.999999Z"],
      [ids.atFrom, "2025-08-01T00:00:00Z"],
      [ids.justBeforeTo, "2025-08-02T09:59:59.999999Z"],
      [ids.atTo, "2025-08-02T10:00:00Z"],
    ] as const)
      await db.execute(
        sql`insert into activity (id, org_id, action, created_at) values (${id}, ${w.org.id}, 'project.created', ${at(when)})`,
      );
    const idsIn = async (from: string, to: string) =>
      (await readAll((await exportOrganizationActivity(db, ownerOf(w), { orgId: w.org.id, from, to, format: "ndjson" })).body))
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(await idsIn("2025-08-01", "2025-08-02T10:00:00Z")).toEqual([ids.atFrom, ids.justBeforeTo]);
    expect(await idsIn("2025-08-01T02:00:00+02:00", "2025-08-02T12:00:00+02:00")).toEqual([ids.atFrom, ids.justBeforeTo]);
    expect(await idsIn("2025-08-02T10:00:00Z", "2025-08-03")).toEqual([ids.atTo]);
    expect(await idsIn("2025-08-01T00:00:00Z", "2025-08-01T00:00:00Z")).toEqual([]);
    const empty = await exportOrganizationActivity(db, ownerOf(w), { orgId: w.org.id, from: "2024-01-01", to: "2024-01-02" });
    expect(empty.format).toBe("csv");
    expect(await readAll(empty.body)).toBe(`${ACTIVITY_EXPORT_COLUMNS.join(",")}\r\n`);
    const emptyNd = await exportOrganizationActivity(db, ownerOf(w), {
      orgId: w.org.id,
      from: "2024-01-01",
      to: "2024-01-02",
      format: "ndjson",
    });
    expect(await readAll(emptyNd.body)).toBe("");
  });

  it("defuses formulas and escapes quotes, commas and line breaks; the CSV reads back to the stored text", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const hostile = [
      '=HYPERLINK("http://x")@e.test',
      "+1@e.test",
      "-2@e.test",
      "@sum@e.test",
      "\tt@e.test",
      "\rr@e.test",
      'a"b,c@e.test',
      "line\nbreak@e.test",
      "plain@e.test",
    ];
    for (const [n, target] of hostile.entries())
      await db.insert(activity).values({
        orgId: w.org.id,
        action: "member.removed",
        targetEmail: target,
        detail: `d,"${n}"\r\n=1+1`,
        oldRole: "read_only",
        createdAt: new Date(Date.UTC(2025, 8, 1, 0, 0, n)),
      });
    const text = await readAll(
      (await exportOrganizationActivity(db, ownerOf(w), { orgId: w.org.id, from: "2025-09-01", to: "2025-09-02" })).body,
    );
    const [, ...rows] = readCsv(text);
    const target = ACTIVITY_EXPORT_COLUMNS.indexOf("targetEmail");
    const detail = ACTIVITY_EXPORT_COLUMNS.indexOf("detail");
    expect(rows.map((r) => r[target])).toEqual(hostile.map((h) => (/^[=+\-@\t\r]/.test(h) ? `'${h}` : h)));
    expect(rows.map((r) => r[detail])).toEqual(hostile.map((_, n) => `d,"${n}"\r\n=1+1`));
    for (const r of rows) expect(r).toHaveLength(ACTIVITY_EXPORT_COLUMNS.length);
    // No cell a spreadsheet would evaluate.
    for (const r of rows) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(csvField(null)).toBe("");
    expect(csvField("-")).toBe("'-");

    const nd = await readAll(
      (await exportOrganizationActivity(db, ownerOf(w), { orgId: w.org.id, from: "2025-09-01", to: "2025-09-02", format: "ndjson" })).body,
    );
    const lines = nd.split("\n").filter(Boolean);
    expect(lines).toHaveLength(hostile.length);
    expect(lines.map((l) => (JSON.parse(l) as { targetEmail: string }).targetEmail)).toEqual(hostile);
  });

  it("refuses bad input and everyone but the organization's Owners before anything is read, changing nothing", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const orgId = w.org.id;
    const ok = { from: "2025-01-01", to: "2025-02-01" };
    await expectNothingChanged(db, worldOrgIds(w), async () => {
      for (const bad of [
        {},
        { ...ok, from: "yesterday" },
        { ...ok, from: "2025-02-30" },
        { ...ok, to: "2025-01-01T10:00" },
        { from: "2025-02-01", to: "2025-01-01" },
        { from: "2024-01-01", to: "2025-02-01" },
        { ...ok, format: "xml" },
        { ...ok, from: ["2025-01-01"] },
      ])
        expect((await expectDomainError(exportOrganizationActivity(db, w.actors.owner, { orgId, ...bad }), "INVALID")).message).toMatch(
          /from|to|format|days/,
        );
      await expectDomainError(exportOrganizationActivity(db, null, { orgId, ...ok }), "UNAUTHENTICATED");
      for (const actor of [w.actors.admin, w.actors.member, w.actors.readOnly])
        await expectDomainError(exportOrganizationActivity(db, actor, { orgId, ...ok }), "FORBIDDEN");
      for (const actor of [w.foreign.owner, w.actors.outsider])
        await expectDomainError(exportOrganizationActivity(db, actor, { orgId, ...ok }), "NOT_FOUND");
      await expectDomainError(exportOrganizationActivity(db, w.actors.owner, { orgId: "not-a-uuid", ...ok }), "NOT_FOUND");
    });
    // A full year of a leap year is allowed (366 days).
    await exportOrganizationActivity(db, w.actors.owner, { orgId, from: "2024-01-01", to: "2025-01-01" });
  });
});
