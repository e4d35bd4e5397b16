import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { doubles } from "./action-doubles";
import { ssoConnections } from "@/db/schema";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, snapshot, worldOrgIds, type World } from "../membership/fixtures";
import { createTestIdp } from "../sso/saml-idp";

/**
 * The single sign-on page's SAML action called directly, as a request would reach it: only the
 * session, database and cache are replaced; the domain runs against a real database.
 */

const { saveSamlConnectionAction } = await import("@/app/orgs/[orgId]/settings/sso/saml-actions");

describe.each(testTargets())("SAML connection action on %s", (kind) => {
  const database = useTestDatabase(kind);
  const idp = createTestIdp();
  let w: World;
  beforeAll(async () => {
    doubles.db = database.db;
    w = await buildWorld(database.db);
  });

  it("an Organization Owner saves pasted metadata; the settings page is redrawn", async () => {
    doubles.actor = w.actors.owner;
    doubles.revalidated = [];
    const result = await saveSamlConnectionAction({ orgId: w.org.id, name: " Acme Okta ", source: "xml", metadataXml: idp.metadataXml() });
    expect(result).toMatchObject({ ok: true, data: { name: "Acme Okta", idpEntityId: idp.entityId, enabled: false } });
    expect(doubles.revalidated).toEqual([`/orgs/${w.org.id}/settings/sso`]);
    const [row] = await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, w.org.id));
    expect(row).toMatchObject({ kind: "saml", samlIdpEntityId: idp.entityId });
  });

  it("is refused, nothing changed, for a member, an outsider, another organization's Owner and a signed-out caller", async () => {
    const world = await buildWorld(database.db);
    const input = { orgId: world.org.id, name: "x", source: "xml", metadataXml: idp.metadataXml() };
    for (const [actor, code] of [
      [world.actors.member, "FORBIDDEN"],
      [world.actors.admin, "FORBIDDEN"],
      [world.actors.outsider, "NOT_FOUND"],
      [world.foreign.owner, "NOT_FOUND"],
      [null, "UNAUTHENTICATED"],
    ] as const) {
      doubles.actor = actor;
      const before = await snapshot(database.db, worldOrgIds(world));
      expect(await saveSamlConnectionAction(input)).toMatchObject({ ok: false, code });
      expect(await snapshot(database.db, worldOrgIds(world))).toEqual(before);
    }
  });

  it("answers bad input with the field's sentence: no source, no name, a metadata URL that is not one", async () => {
    doubles.actor = w.actors.owner;
    expect(await saveSamlConnectionAction({ orgId: w.org.id, name: "x", metadataXml: "<x/>" })).toMatchObject({
      ok: false,
      code: "INVALID",
    });
    const noName = await saveSamlConnectionAction({ orgId: w.org.id, name: " ", source: "url", metadataUrl: "https://idp.test/m" });
    expect(noName).toMatchObject({ ok: false, code: "INVALID", fieldErrors: { name: [expect.any(String)] } });
    const badUrl = await saveSamlConnectionAction({ orgId: w.org.id, name: "x", source: "url", metadataUrl: "ftp://idp.test/m" });
    expect(badUrl).toMatchObject({ ok: false, code: "INVALID", fieldErrors: { metadataUrl: [expect.stringContaining("https://")] } });
  });
});
