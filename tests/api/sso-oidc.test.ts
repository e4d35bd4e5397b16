import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, ssoConnections } from "@/db/schema";
import { createApiKey } from "@/lib/membership";
import { ssoUrls } from "@/lib/sso/urls";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, type World } from "../membership/fixtures";
import { closedPort } from "../sso/oidc-fixtures";
import { startOidcProvider, type TestOidcProvider } from "../sso/oidc-provider";
import { api } from "./helpers";

/** PUT /organizations/{orgId}/sso/oidc: an Owner's organization key connects an OpenID Connect provider. */
describe.each(testTargets())("OpenID Connect connection over the API on %s", (kind) => {
  const database = useTestDatabase(kind);
  let idp: TestOidcProvider;
  let w: World;
  let ownerKey: string;

  beforeAll(async () => {
    [idp, w] = await Promise.all([startOidcProvider(), buildWorld(database.db)]);
    ownerKey = (await createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "sso automation", scope: "organization" })).secret;
  });
  afterAll(async () => {
    await idp?.close();
  });

  const path = (w: World) => `/organizations/${w.org.id}/sso/oidc`;
  const body = () => ({ name: "API IdP", issuer: idp.issuer, clientId: "api-client", clientSecret: "api-secret-value" });

  it("saves the connection and answers it without the secret; the key is the activity's actor", async () => {
    const answer = await api(database.db, ownerKey, "PUT", path(w), { body: body() });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual({
      id: expect.any(String),
      name: "API IdP",
      issuer: idp.issuer,
      clientId: "api-client",
      hasSecret: true,
      redirectUri: ssoUrls(answer.body.id as string).oidcRedirectUri,
      enabled: false,
      testedAt: null,
    });
    expect(JSON.stringify(answer.body)).not.toContain("api-secret-value");
    const [log] = await database.db
      .select()
      .from(activity)
      .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "sso.connection_saved")));
    expect(log!.actorApiKeyName).toBe("sso automation");
    // The settings read shows it too, still without the secret.
    const read = await api(database.db, ownerKey, "GET", `/organizations/${w.org.id}/sso`);
    expect(read.body.connection).toMatchObject({ id: answer.body.id, kind: "oidc", oidcIssuer: idp.issuer, hasClientSecret: true });
    expect(JSON.stringify(read.body)).not.toContain("api-secret-value");
  });

  it("a change without a secret keeps the stored one", async () => {
    const before = (await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, w.org.id)))[0]!;
    const { clientSecret: _omitted, ...rest } = body();
    const answer = await api(database.db, ownerKey, "PUT", path(w), { body: { ...rest, name: "Renamed IdP" } });
    expect(answer.status).toBe(200);
    const after = (await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, w.org.id)))[0]!;
    expect(after.name).toBe("Renamed IdP");
    expect(after.oidcClientSecretSealed).toBe(before.oidcClientSecretSealed);
  });

  it("refuses an issuer that does not answer discovery (422 VALIDATION on the issuer), and a project key (403)", async () => {
    const bad = await api(database.db, ownerKey, "PUT", path(w), { body: { ...body(), issuer: `http://127.0.0.1:${await closedPort()}` } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: "VALIDATION", errors: { issuer: [expect.stringMatching(/did not answer discovery/)] } });
    const projectKey = await createApiKey(database.db, w.actors.owner, {
      orgId: w.org.id,
      name: "project key",
      scope: "projects",
      projects: [{ projectId: w.project.id, role: "admin" }],
    });
    expect((await api(database.db, projectKey.secret, "PUT", path(w), { body: body() })).status).toBe(403);
  });

  it("is in the OpenAPI document as PUT with its request schema", async () => {
    const doc = await api(database.db, null, "GET", "/openapi.json");
    const op = (doc.body.paths as Record<string, Record<string, { operationId: string }>>)["/organizations/{orgId}/sso/oidc"]!.put!;
    expect(op.operationId).toBe("saveOidcConnection");
  });
});
