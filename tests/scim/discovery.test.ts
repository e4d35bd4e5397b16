import { beforeAll, describe, expect, it } from "vitest";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { BASE_URL, buildWorld, type World } from "../membership/fixtures";
import { scim } from "./helpers";

describe.each(testTargets())("SCIM discovery on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let token: string;
  let base: string;
  beforeAll(async () => {
    w = await buildWorld(database.db);
    token = (await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "IdP" })).token;
    base = `${BASE_URL}/scim/v2/${w.org.id}`;
  });

  it("ServiceProviderConfig says what is supported: patch and filter (with a maximum) yes; bulk, sort, etag, changePassword no", async () => {
    const r = await scim(database.db, token, "GET", `${w.org.id}/ServiceProviderConfig`);
    expect(r.status).toBe(200);
    expect(r.contentType).toBe("application/scim+json");
    expect(r.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: [{ type: "oauthbearertoken", primary: true }],
      meta: { resourceType: "ServiceProviderConfig", location: `${base}/ServiceProviderConfig` },
    });
  });

  it("ResourceTypes lists User at /Users with its schema, and one by id", async () => {
    const r = await scim(database.db, token, "GET", `${w.org.id}/ResourceTypes`);
    expect(r.status).toBe(200);
    expect(r.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:ListResponse"]);
    expect(r.body.totalResults).toBe(r.body.Resources.length);
    const user = r.body.Resources.find((t: { id: string }) => t.id === "User");
    expect(user).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      name: "User",
      endpoint: "/Users",
      schema: "urn:ietf:params:scim:schemas:core:2.0:User",
      meta: { resourceType: "ResourceType", location: `${base}/ResourceTypes/User` },
    });
    const one = await scim(database.db, token, "GET", `${w.org.id}/ResourceTypes/User`);
    expect(one.body).toEqual(user);
    const missing = await scim(database.db, token, "GET", `${w.org.id}/ResourceTypes/Printer`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "404" });
  });

  it("Schemas describes the User attributes per RFC 7643 §7, and one by its URN", async () => {
    const r = await scim(database.db, token, "GET", `${w.org.id}/Schemas`);
    expect(r.status).toBe(200);
    const user = r.body.Resources.find((s: { id: string }) => s.id === "urn:ietf:params:scim:schemas:core:2.0:User");
    expect(user.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:Schema"]);
    const names = user.attributes.map((a: { name: string }) => a.name);
    expect(names).toEqual(expect.arrayContaining(["userName", "name", "emails", "active", "displayName"]));
    for (const a of user.attributes)
      expect(Object.keys(a)).toEqual(
        expect.arrayContaining([
          "name",
          "type",
          "multiValued",
          "description",
          "required",
          "caseExact",
          "mutability",
          "returned",
          "uniqueness",
        ]),
      );
    expect(user.attributes.find((a: { name: string }) => a.name === "userName")).toMatchObject({ required: true, uniqueness: "server" });
    const one = await scim(database.db, token, "GET", `${w.org.id}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User`);
    expect(one.body).toEqual(user);
  });

  it("discovery is read-only, and unknown endpoints answer a SCIM 404", async () => {
    const post = await scim(database.db, token, "POST", `${w.org.id}/ServiceProviderConfig`, {});
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
    expect(post.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
    const unknown = await scim(database.db, token, "GET", `${w.org.id}/Printers`);
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toBe("application/scim+json");
  });

  it("discovery needs the organization's token", async () => {
    const r = await scim(database.db, null, "GET", `${w.org.id}/Schemas`);
    expect(r.status).toBe(401);
    expect(r.headers.get("www-authenticate")).toContain("Bearer");
    expect(r.body).toMatchObject({ status: "401", detail: expect.stringContaining("SCIM token") });
  });
});
