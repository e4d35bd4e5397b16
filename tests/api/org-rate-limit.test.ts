import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, type World } from "../membership/fixtures";
import { api } from "./helpers";

const makeKeys = (db: Db, w: World, n: number) =>
  Promise.all(
    Array.from({ length: n }, (_, i) =>
      m.createApiKey(db, w.actors.owner, { orgId: w.org.id, name: `key ${i}`, scope: "organization" }).then((k) => k.secret),
    ),
  );

/** Each test counts in a minute of its own, far from the others'. */
const minute = (n: number) => ({ now: new Date(Date.UTC(2031, 0, 1, 0, n * 5)) });

describe.each(testTargets())("the organization's ceiling over all its keys, on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });

  const ORG = () => `/organizations/${w.org.id}`;

  it("N keys share one ceiling: past it every key gets 429 with Retry-After and the organization's RateLimit headers", async () => {
    const keys = await makeKeys(database.db, w, 4);
    const limits = { api: { ...minute(1), rateLimit: { perMinute: 3, perOrganizationPerMinute: 5 } } };
    const first = await api(database.db, keys[0]!, "GET", ORG(), limits);
    // The key has 2 left, the organization 4: the key's limit is the tighter one.
    expect([first.status, first.headers.get("ratelimit-policy"), first.headers.get("ratelimit")]).toEqual([
      200,
      '"per-key";q=3;w=60',
      expect.stringMatching(/^"per-key";r=2;t=\d+$/),
    ]);
    const statuses = [first.status];
    for (const key of [keys[0], keys[0], keys[1], keys[1]]) statuses.push((await api(database.db, key!, "GET", ORG(), limits)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    for (const key of [keys[2], keys[3], keys[1]]) {
      const refused = await api(database.db, key!, "GET", ORG(), limits);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe("RATE_LIMITED");
      expect(refused.body.detail).toMatch(/all its keys together/);
      expect(refused.headers.get("ratelimit-policy")).toBe('"per-organization";q=5;w=60');
      expect(refused.headers.get("ratelimit")).toMatch(/^"per-organization";r=0;t=\d+$/);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    // Another organization's keys count on their own.
    const foreign = await m.createApiKey(database.db, w.foreign.owner, { orgId: w.foreign.org.id, name: "foreign", scope: "organization" });
    expect((await api(database.db, foreign.secret, "GET", `/organizations/${w.foreign.org.id}`, limits)).status).toBe(200);
    // A new window lets the organization in again.
    expect((await api(database.db, keys[2]!, "GET", ORG(), { api: { ...limits.api, ...minute(2) } })).status).toBe(200);
  });

  it("a request refused by its key's own limit does not use up the organization's", async () => {
    const [busy, quiet] = await makeKeys(database.db, w, 2);
    const limits = { api: { ...minute(3), rateLimit: { perMinute: 2, perOrganizationPerMinute: 3 } } };
    const busyAnswers = [];
    for (let i = 0; i < 5; i++) busyAnswers.push(await api(database.db, busy!, "GET", ORG(), limits));
    expect(busyAnswers.map((a) => a.status)).toEqual([200, 200, 429, 429, 429]);
    expect(busyAnswers[2]!.headers.get("ratelimit-policy")).toBe('"per-key";q=2;w=60');
    expect((await api(database.db, quiet!, "GET", ORG(), limits)).status).toBe(200);
  });
});

// PGlite runs one statement at a time, so the race is shown on the Postgres server only.
describe("the organization's ceiling under concurrency on the Postgres server", () => {
  const database = useTestDatabase("postgres");
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });

  it("30 requests at once from 3 keys with a ceiling of 12: exactly 12 pass", async () => {
    const keys = await makeKeys(database.db, w, 3);
    const other = database.connectAgain(12);
    const limits = { api: { ...minute(4), rateLimit: { perMinute: 100, perOrganizationPerMinute: 12 } } };
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => api(other.db, keys[i % 3]!, "GET", `/organizations/${w.org.id}`, limits)),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(12);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(18);
  });
});
