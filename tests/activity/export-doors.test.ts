import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { doubles } from "../actions/action-doubles";
import type { Actor } from "@/lib/membership";
import { ACTIVITY_EXPORT_COLUMNS } from "@/lib/membership";
import { api, makeKeys } from "../api/helpers";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectNothingChanged, worldOrgIds, type World } from "../membership/fixtures";

/**
 * The audit export's two doors called directly: the console route (session cookie) and the API
 * operation (organization key). Only the framework around the route is replaced (who is signed in,
 * which database); the domain and the database are real.
 */

const { GET } = await import("@/app/orgs/[orgId]/activity/export/route");

async function route(orgId: string, query: string, actor: Actor | null) {
  doubles.actor = actor;
  const response = await GET(new NextRequest(`http://console.test/orgs/${orgId}/activity/export?${query}`), {
    params: Promise.resolve({ orgId }),
  });
  return {
    status: response.status,
    type: response.headers.get("content-type") ?? "",
    disposition: response.headers.get("content-disposition"),
    text: await response.text(),
  };
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
// 200 days around today: the world's one record of the organization (ten minutes old) is inside.
const RANGE = `from=${day(-100)}&to=${day(100)}`;
const DAYS = `${day(-100)}-to-${day(99)}`;

describe.each(testTargets())("audit export doors on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("the console route: an Owner downloads; signed out, Members, Project Admins and other tenants are refused; bad queries get a 400 with nothing streamed", async () => {
    const w: World = await buildWorld(database.db);
    doubles.db = database.db;
    await expectNothingChanged(database.db, worldOrgIds(w), async () => {
      const refused: [Actor | null, number, string][] = [
        [null, 401, "UNAUTHENTICATED"],
        [w.actors.member, 403, "FORBIDDEN"],
        [w.actors.admin, 403, "FORBIDDEN"],
        [w.actors.readOnly, 403, "FORBIDDEN"],
        [w.foreign.owner, 404, "NOT_FOUND"],
        [w.actors.outsider, 404, "NOT_FOUND"],
      ];
      for (const [actor, status, code] of refused) {
        const r = await route(w.org.id, RANGE, actor);
        expect({ who: actor?.email ?? "signed out", status: r.status }).toEqual({ who: actor?.email ?? "signed out", status });
        expect(JSON.parse(r.text)).toMatchObject({ ok: false, code });
        expect(r.text).not.toContain("invitation.created");
      }
      // Our Owner with another tenant's organization id: not found.
      expect((await route(w.foreign.org.id, RANGE, w.actors.owner)).status).toBe(404);
      for (const query of [
        "",
        "from=2025-01-01",
        "from=2025-13-01&to=2025-12-31",
        "from=2025-01-02&to=2025-01-01",
        `${RANGE}&format=xlsx`,
        "from=2020-01-01&to=2025-01-01",
        "from=%E0%A4%A&to=x",
      ]) {
        const r = await route(w.org.id, query, w.actors.owner);
        expect({ query, status: r.status }).toEqual({ query, status: 400 });
        const body = JSON.parse(r.text) as { ok: boolean; code: string; message: string };
        expect(body).toMatchObject({ ok: false, code: "INVALID" });
        expect(body.message).toMatch(/from|to|format|days/);
        expect(r.text).not.toMatch(/\n\s+at |node_modules|select /i);
      }
    });
    // An Owner's export counts against the organization's hourly exports: after the refusals' snapshot.
    {
      const ok = await route(w.org.id, `${RANGE}&format=csv`, w.actors.owner);
      expect(ok.status).toBe(200);
      expect(ok.type).toBe("text/csv; charset=utf-8; header=present");
      expect(ok.disposition).toBe(`attachment; filename="org-a-${w.tag}-activity-${DAYS}.csv"`);
      const [header, ...rows] = ok.text.split("\r\n").filter(Boolean);
      expect(header).toBe(ACTIVITY_EXPORT_COLUMNS.join(","));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain("invitation.created");
      expect(rows.join()).not.toContain(w.foreign.owner.email);
      const nd = await route(w.org.id, `${RANGE}&format=ndjson`, w.actors.owner);
      expect(nd.type).toBe("application/x-ndjson; charset=utf-8");
      expect(JSON.parse(nd.text.trim())).toMatchObject({ action: "invitation.created", actorEmail: w.actors.admin.email });
    }
  });

  it("an organization starts at most ACTIVITY_EXPORTS_PER_HOUR exports an hour, console and API together: the next is refused with when to try again; another organization is not held up", async () => {
    const db = database.db;
    doubles.db = db;
    const w = await buildWorld(db);
    const keys = await makeKeys(db, w);
    const perHour = 30; // the default (lib/env.ts); the tests set no other
    for (let i = 0; i < perHour; i++) {
      const r =
        i % 2 === 0
          ? await route(w.org.id, RANGE, w.actors.owner)
          : await api(db, keys.owner, "GET", `/organizations/${w.org.id}/activity/export?${RANGE}`).then((a) => ({ status: a.status }));
      expect({ i, status: r.status }).toEqual({ i, status: 200 });
    }
    const refused = await route(w.org.id, RANGE, w.actors.owner);
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toMatchObject({
      ok: false,
      code: "RATE_LIMITED",
      message: expect.stringMatching(/^This organization has started 30 exports in the last hour; you can export again in \d+ minutes\.$/),
    });
    const byKey = await api(db, keys.owner, "GET", `/organizations/${w.org.id}/activity/export?${RANGE}`);
    expect(byKey.status).toBe(429);
    expect(Number(byKey.headers.get("retry-after"))).toBeGreaterThan(3000);
    // The other tenant's Owner exports as usual.
    expect((await route(w.foreign.org.id, RANGE, w.foreign.owner)).status).toBe(200);
  });

  it("the API operation: Owner keys only, malformed queries refused with a VALIDATION problem and nothing streamed", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const keys = await makeKeys(db, w);
    const path = `/organizations/${w.org.id}/activity/export`;
    // A key's first request makes its rate-limit row: made now, so the snapshots compare what the export owns.
    for (const key of Object.values(keys)) if (key) await api(db, key, "GET", "/organizations");
    await expectNothingChanged(db, worldOrgIds(w), async () => {
      const expected: Record<string, number> = {
        adminOfOtherProject: 403,
        readOnly: 403,
        revoked: 401,
        expired: 401,
        otherOrganization: 404,
        none: 401,
        malformed: 401,
      };
      for (const [k, status] of Object.entries(expected)) {
        const a = await api(db, keys[k as keyof typeof keys], "GET", `${path}?${RANGE}`);
        expect({ k, status: a.status, type: a.contentType }).toEqual({ k, status, type: "application/problem+json" });
      }
      for (const query of [
        "",
        "from=2025-01-01",
        "from=2025-02-30&to=2025-03-01",
        "from=2025-01-02&to=2025-01-01",
        `${RANGE}&format=xml`,
        "from=2020-01-01&to=2025-01-01",
      ]) {
        const a = await api(db, keys.owner, "GET", `${path}?${query}`);
        expect({ query, status: a.status }).toEqual({ query, status: 422 });
        expect(a.body).toMatchObject({ code: "VALIDATION" });
        expect(String(a.body.detail)).toMatch(/from|to|format|days/);
      }
    });
    // An Owner's export counts against the organization's hourly exports: after the refusals' snapshot.
    {
      const nd = await api(db, keys.owner, "GET", `${path}?${RANGE}&format=ndjson`);
      expect(nd.status).toBe(200);
      expect(nd.contentType).toBe("application/x-ndjson; charset=utf-8");
      expect(nd.headers.get("content-disposition")).toBe(`attachment; filename="org-a-${w.tag}-activity-${DAYS}.ndjson"`);
      expect(nd.headers.get("ratelimit")).toBeTruthy();
      const actions = nd.text
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { action: string }).action);
      // Oldest first: the world's invitation, then the keys this test made.
      expect(actions[0]).toBe("invitation.created");
      expect(actions.slice(1).sort()).toEqual([...Array(5).fill("api_key.created"), "api_key.revoked"]);
    }
    // Rate-limited like every operation: over the key's limit it is refused before anything is read.
    const limited = await api(db, keys.owner, "GET", `${path}?${RANGE}`, { api: { rateLimit: { perMinute: 1 } } });
    expect(limited.status).toBe(429);
  });
});
