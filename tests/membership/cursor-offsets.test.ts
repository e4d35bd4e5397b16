import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as m from "@/lib/membership";
import { isPgTimestamp } from "@/lib/membership/keyset";
import { api } from "../api/helpers";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, type World } from "./fixtures";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const OUT_OF_RANGE = ["+99", "+16", "-16", "-00:99", "+00:60", "+15:59:60", "+24:00"];

/** Every offset spelling worth trying: hours, then optional minutes, then optional seconds, each in and out of range. */
function offsets(): string[] {
  const out: string[] = [];
  for (const sign of ["+", "-"])
    for (const h of ["00", "01", "14", "15", "16", "23", "24", "99"]) {
      out.push(`${sign}${h}`);
      for (const mi of ["00", "59", "60", "99"]) {
        out.push(`${sign}${h}:${mi}`);
        for (const s of ["00", "59", "60", "99"]) out.push(`${sign}${h}:${mi}:${s}`);
      }
    }
  return out;
}

describe.each(testTargets())("a forged cursor's timestamp offset on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });

  /** Which values the database casts to timestamptz, asked in one statement (each cast caught on its own). */
  const castable = (values: string[]) =>
    database.db.transaction(async (tx) => {
      await tx.execute(
        sql.raw(
          `create or replace function pg_temp.casts(v text) returns boolean language plpgsql as $$ begin perform v::timestamptz; return true; ` +
            `exception when others then return false; end $$`,
        ),
      );
      const result = (await tx.execute(
        sql`select v, pg_temp.casts(v) as ok from json_array_elements_text(${JSON.stringify(values)}::json) as v`,
      )) as unknown as { rows: { v: string; ok: boolean }[] };
      return new Map(result.rows.map((r) => [r.v, r.ok]));
    });

  it("is accepted exactly when the database can cast it", async () => {
    const values = offsets().map((offset) => `2026-11-30 10:00:00.123456${offset}`);
    const cast = await castable(values);
    expect(values.filter((v) => isPgTimestamp(v) !== cast.get(v))).toEqual([]);
    expect(values.filter((v) => isPgTimestamp(v)).length).toBeGreaterThan(50);
    // Accepted edges must cast too; a spelling refused here may still cast (refusing is always safe).
    const edges = ["0001-01-01 00:00:00+15", "9999-12-31 23:59:59-15:59:59", "2026-11-30 23:59:59.999999+15:59:59"];
    const edgeCast = await castable(edges);
    for (const v of edges) expect({ v, ok: isPgTimestamp(v) && edgeCast.get(v) }).toEqual({ v, ok: true });
  });

  it("out of range is INVALID_CURSOR on project and organization invitations and activity, never a database error", async () => {
    const reads = [
      [
        "invitations",
        (cursor: string) => m.listPendingInvitations(database.db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, cursor }),
      ],
      ["org-invitations", (cursor: string) => m.listOrganizationInvitations(database.db, w.actors.owner, { orgId: w.org.id, cursor })],
      ["activity", (cursor: string) => m.listActivity(database.db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, cursor })],
      ["org-activity", (cursor: string) => m.listOrganizationActivity(database.db, w.actors.owner, { orgId: w.org.id, cursor })],
    ] as const;
    for (const [list, read] of reads) {
      for (const offset of OUT_OF_RANGE) {
        const cursor = b64({ l: list, d: "a", k: [`2026-11-30 10:00:00.123456${offset}`, "00000000-0000-4000-8000-000000000000"], i: 50 });
        await expectDomainError(read(cursor), "INVALID_CURSOR");
      }
      // The largest offset the database takes still positions the list.
      await read(b64({ l: list, d: "a", k: ["2026-11-30 10:00:00.123456-15:59:59", "00000000-0000-4000-8000-000000000000"], i: 50 }));
    }
  });

  it("out of range is 400 INVALID_CURSOR on the four API lists", async () => {
    const key = await m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "cursor", scope: "organization" });
    const ORG = `/organizations/${w.org.id}`;
    const lists = [
      ["invitations", `${ORG}/projects/${w.project.id}/invitations`],
      ["org-invitations", `${ORG}/invitations`],
      ["activity", `${ORG}/projects/${w.project.id}/activity`],
      ["org-activity", `${ORG}/activity`],
    ] as const;
    for (const [list, path] of lists) {
      for (const offset of ["+99", "+16", "-00:99"]) {
        const cursor = b64({ l: list, d: "a", k: [`2026-11-30 10:00:00.123456${offset}`, "00000000-0000-4000-8000-000000000000"], i: 50 });
        const answer = await api(database.db, key.secret, "GET", `${path}?cursor=${cursor}`);
        expect({ list, offset, status: answer.status, code: answer.body.code }).toEqual({
          list,
          offset,
          status: 400,
          code: "INVALID_CURSOR",
        });
      }
    }
  });
});
