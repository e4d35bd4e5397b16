import { beforeAll, describe, expect, it } from "vitest";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectNothingChanged, worldOrgIds, type World } from "../membership/fixtures";
import { scim } from "./helpers";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";

describe.each(testTargets())("SCIM doors and hostile requests on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let token: string;
  beforeAll(async () => {
    w = await buildWorld(database.db);
    token = (await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "IdP" })).token;
    await scim(database.db, token, "GET", `${w.org.id}/ServiceProviderConfig`); // its rate-limit row exists before any snapshot
  });

  it("every Users verb refuses no token, a revoked token, another organization's token and an API key with 401, changing nothing", async () => {
    const revoked = await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "old" });
    await m.revokeScimToken(database.db, w.actors.owner, { orgId: w.org.id, tokenId: revoked.id });
    const foreign = await m.createScimToken(database.db, w.foreign.owner, { orgId: w.foreign.org.id, name: "B" });
    const key = await m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "k", scope: "organization" });
    const body = { schemas: [USER], userName: "intruder@example.com" };
    const patch = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "active", value: false }],
    };
    for (const bearer of [null, revoked.token, foreign.token, key.secret, "mcs_short"]) {
      await expectNothingChanged(database.db, worldOrgIds(w), async () => {
        for (const [method, path, b] of [
          ["GET", "Users", undefined],
          ["POST", "Users", body],
          ["GET", `Users/${w.actors.admin.id}`, undefined],
          ["PUT", `Users/${w.actors.admin.id}`, body],
          ["PATCH", `Users/${w.actors.admin.id}`, patch],
          ["DELETE", `Users/${w.actors.admin.id}`, undefined],
        ] as const) {
          const r = await scim(database.db, bearer, method, `${w.org.id}/${path}`, b);
          expect(r.status, `${method} ${path} with ${bearer?.slice(0, 4) ?? "no token"}`).toBe(401);
          expect(r.body).toMatchObject({ schemas: [ERROR], status: "401" });
        }
      });
    }
  });

  it("malformed JSON, a huge body, a wrong content type, a body that is not an object: SCIM errors, never a 500", async () => {
    await expectNothingChanged(database.db, worldOrgIds(w), async () => {
      const cases: [Parameters<typeof scim>[5], number, string | undefined][] = [
        [{ rawBody: '{"userName": ' }, 400, "invalidSyntax"],
        [{ rawBody: JSON.stringify({ schemas: [USER], userName: "x".repeat(2 * 1024 * 1024) }) }, 413, undefined],
        [{ rawBody: "{}", contentType: "text/plain" }, 415, undefined],
        [{ rawBody: "[1,2]" }, 400, "invalidSyntax"],
        [{ rawBody: "null" }, 400, "invalidSyntax"],
        [{ rawBody: JSON.stringify({ schemas: [USER], userName: { $ne: "" } }) }, 400, "invalidValue"],
        [{ rawBody: JSON.stringify({ schemas: [USER], userName: "a\u0000b@example.com" }) }, 400, "invalidValue"],
      ];
      for (const [options, status, scimType] of cases) {
        const r = await scim(database.db, token, "POST", `${w.org.id}/Users`, undefined, options);
        expect(r.status, JSON.stringify(options).slice(0, 80)).toBe(status);
        expect(r.body).toMatchObject({ schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}) });
      }
      const patch = await scim(database.db, token, "PATCH", `${w.org.id}/Users/${w.actors.admin.id}`, undefined, { rawBody: "{]" });
      expect(patch.status).toBe(400);
      const badEscape = await scim(database.db, token, "GET", `${w.org.id}/Users/%E0%A4%A`);
      expect(badEscape.status).toBe(400);
      const tooDeep = await scim(database.db, token, "GET", `${w.org.id}/Users/a/b`);
      expect(tooDeep.status).toBe(404);
      const notAllowed = await scim(database.db, token, "DELETE", `${w.org.id}/Users`);
      expect(notAllowed.status).toBe(405);
    });
  });

  it("over the per-token rate limit: 429 with Retry-After", async () => {
    const limited = await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "busy" });
    for (let i = 0; i < 3; i++)
      expect((await scim(database.db, limited.token, "GET", `${w.org.id}/Users`, undefined, { perMinute: 3 })).status).toBe(200);
    const r = await scim(database.db, limited.token, "GET", `${w.org.id}/Users`, undefined, { perMinute: 3 });
    expect(r.status).toBe(429);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(r.body).toMatchObject({ schemas: [ERROR], status: "429" });
  });
});
