import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activity, ssoConnections } from "@/db/schema";
import { ZSamlConnection } from "@/lib/api/schemas";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, snapshot, worldOrgIds, type World } from "../membership/fixtures";
import { createTestIdp } from "../sso/saml-idp";
import { api } from "./helpers";

describe.each(testTargets())("PUT /organizations/{orgId}/sso/saml on %s", (kind) => {
  const database = useTestDatabase(kind);
  const idp = createTestIdp();
  let server: Server;
  let metadataUrl: string;
  let w: World;
  let ownerKey: string;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(idp.metadataXml()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
    w = await buildWorld(database.db);
    ownerKey = (await m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "sso admin", scope: "organization" })).secret;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const put = (key: string, body: unknown, orgId = w.org.id) => api(database.db, key, "PUT", `/organizations/${orgId}/sso/saml`, { body });

  it("an Owner's organization key connects pasted metadata, then a metadata URL; the key is the actor in the activity", async () => {
    const pasted = await put(ownerKey, { name: "Acme SAML", metadataXml: idp.metadataXml() });
    expect(pasted.status, JSON.stringify(pasted.body)).toBe(200);
    const body = ZSamlConnection.parse(pasted.body);
    expect(body).toMatchObject({ name: "Acme SAML", idpEntityId: idp.entityId, ssoUrl: idp.ssoUrl, metadataUrl: null, enabled: false });
    expect(body.sp.acsUrl).toContain(`/api/sso/${body.id}/saml/acs`);
    const fetched = await put(ownerKey, { name: "Acme SAML", metadataUrl });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: body.id, metadataUrl });
    const saved = (await database.db.select().from(activity).where(eq(activity.orgId, w.org.id))).filter(
      (a) => a.action === "sso.connection_saved",
    );
    expect(saved).toHaveLength(2);
    expect(saved.every((a) => a.actorApiKeyName === "sso admin" && a.actorEmail === w.actors.owner.email)).toBe(true);
  });

  it("refuses both or neither of XML and URL, and metadata without a signing certificate, with 422 and nothing changed", async () => {
    const world = await buildWorld(database.db);
    const key = (await m.createApiKey(database.db, world.actors.owner, { orgId: world.org.id, name: "k", scope: "organization" })).secret;
    // A key's first request makes its rate-limit row; make it before the snapshot.
    await api(database.db, key, "GET", "/organizations");
    const before = await snapshot(database.db, worldOrgIds(world));
    const both = await put(key, { name: "x", metadataXml: idp.metadataXml(), metadataUrl }, world.org.id);
    expect(both).toMatchObject({ status: 422, body: { code: "VALIDATION", errors: { metadataUrl: [expect.any(String)] } } });
    const neither = await put(key, { name: "x" }, world.org.id);
    expect(neither).toMatchObject({ status: 422, body: { code: "VALIDATION", errors: { metadataXml: [expect.any(String)] } } });
    const noCert = idp.metadataXml().replace(/<KeyDescriptor[\s\S]*?<\/KeyDescriptor>/g, "");
    const refused = await put(key, { name: "x", metadataXml: noCert }, world.org.id);
    expect(refused).toMatchObject({ status: 422, body: { code: "VALIDATION", detail: expect.stringMatching(/signing certificate/) } });
    expect(await snapshot(database.db, worldOrgIds(world))).toEqual(before);
    expect(await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, world.org.id))).toHaveLength(0);
  });

  it("a projects key, even of an Owner, may not manage single sign-on; another organization's key sees nothing", async () => {
    const world = await buildWorld(database.db);
    const projectsKey = await m.createApiKey(database.db, world.actors.owner, {
      orgId: world.org.id,
      name: "projects",
      scope: "projects",
      projects: [{ projectId: world.project.id, role: "admin" }],
    });
    const foreignKey = await m.createApiKey(database.db, world.foreign.owner, {
      orgId: world.foreign.org.id,
      name: "f",
      scope: "organization",
    });
    const body = { name: "x", metadataXml: idp.metadataXml() };
    expect((await put(projectsKey.secret, body, world.org.id)).status).toBe(403);
    expect((await put(foreignKey.secret, body, world.org.id)).status).toBe(404);
    expect(await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, world.org.id))).toHaveLength(0);
  });
});
