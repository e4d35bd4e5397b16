import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { doubles } from "./action-doubles";
import { ssoConnections } from "@/db/schema";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, snapshot, worldOrgIds, type World } from "../membership/fixtures";
import { startOidcProvider, type TestOidcProvider } from "../sso/oidc-provider";

/**
 * The single sign-on page's OpenID Connect action called directly, as a request would reach it:
 * only the session, database and cache are replaced; the domain runs against a real database and
 * discovery against a real provider.
 */

const actions = await import("@/app/orgs/[orgId]/settings/sso/actions");

describe.each(testTargets())("OpenID Connect action on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  let idp: TestOidcProvider;
  beforeAll(async () => {
    doubles.db = database.db;
    [w, idp] = await Promise.all([buildWorld(database.db), startOidcProvider()]);
  });
  afterAll(async () => {
    await idp?.close();
  });

  const rows = async () => JSON.stringify(await database.db.select().from(ssoConnections).where(eq(ssoConnections.orgId, w.org.id)));
  const values = () => ({ orgId: w.org.id, name: "Acme IdP", issuer: idp.issuer, clientId: "console", clientSecret: "a-secret-value" });

  it("refuses everyone but an Owner of the organization, changing nothing", async () => {
    for (const [actor, code] of [
      [null, "UNAUTHENTICATED"],
      [w.actors.member, "FORBIDDEN"],
      [w.actors.admin, "FORBIDDEN"],
      [w.foreign.owner, "NOT_FOUND"],
    ] as const) {
      doubles.actor = actor;
      const before = [await snapshot(database.db, worldOrgIds(w)), await rows()];
      expect(await actions.saveOidcConnectionAction(values())).toMatchObject({ ok: false, code });
      expect([await snapshot(database.db, worldOrgIds(w)), await rows()]).toEqual(before);
    }
  });

  it("answers bad input with field errors, and an Owner's save with the connection but never its secret", async () => {
    doubles.actor = w.actors.owner;
    const refused = await actions.saveOidcConnectionAction({ ...values(), issuer: "https://", name: "" });
    expect(refused).toMatchObject({ ok: false, code: "INVALID" });
    expect(Object.keys((!refused.ok && refused.fieldErrors) || {})).toContain("name");
    const badIssuer = await actions.saveOidcConnectionAction({ ...values(), issuer: "not a url" });
    expect(badIssuer).toMatchObject({ ok: false, code: "INVALID", fieldErrors: { issuer: [expect.stringMatching(/not a URL/)] } });
    const saved = await actions.saveOidcConnectionAction(values());
    expect(saved).toMatchObject({ ok: true, data: { name: "Acme IdP", issuer: idp.issuer, clientId: "console", hasSecret: true } });
    expect(JSON.stringify(saved)).not.toContain("a-secret-value");
    // A blank secret on a change keeps the stored one.
    expect(await actions.saveOidcConnectionAction({ ...values(), name: "Renamed", clientSecret: "" })).toMatchObject({
      ok: true,
      data: { name: "Renamed", hasSecret: true },
    });
  });
});
