import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { activity, scimTokens } from "@/db/schema";
import * as m from "@/lib/membership";
import { describeActivity } from "@/components/sentences";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, expectDomainError, expectSecretShownOnce, type World } from "../membership/fixtures";
import { scim } from "./helpers";

describe.each(testTargets())("SCIM tokens on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  beforeAll(async () => {
    w = await buildWorld(database.db);
  });

  it("a token is 32 random bytes behind mcs_, shown once, stored only as its hash, listed with its last use", async () => {
    const made = await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "Okta" });
    expectSecretShownOnce(made.token, made.prefix, "mcs_");
    const [row] = await database.db.select().from(scimTokens).where(eq(scimTokens.id, made.id));
    expect(JSON.stringify(row)).not.toContain(made.token);
    expect(row!.tokenHash).toBe(m.hashScimToken(made.token));
    const listed = await m.listScimTokens(database.db, w.actors.owner, { orgId: w.org.id });
    expect(listed.find((t) => t.id === made.id)).toMatchObject({ name: "Okta", prefix: made.prefix, lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect((await scim(database.db, made.token, "GET", `${w.org.id}/ServiceProviderConfig`)).status).toBe(200);
    const after = await m.listScimTokens(database.db, w.actors.owner, { orgId: w.org.id });
    expect(after.find((t) => t.id === made.id)!.lastUsedAt).not.toBeNull();
    const [created] = await database.db.select().from(activity).where(eq(activity.action, "scim_token.created"));
    expect(describeActivity({ ...created!, actorScim: false })).toBe(
      `${w.actors.owner.email} created the SCIM token \u2068Okta (${made.prefix}…)\u2069`,
    );
  });

  it("only Organization Owners create, list and revoke tokens; signed out is refused; an API key cannot", async () => {
    const input = { orgId: w.org.id, name: "x" };
    const mine = await m.createScimToken(database.db, w.actors.owner, input);
    for (const who of [w.actors.admin, w.actors.member, w.actors.readOnly, w.actors.readWrite]) {
      await expectDomainError(m.createScimToken(database.db, who, input), "FORBIDDEN");
      await expectDomainError(m.listScimTokens(database.db, who, { orgId: w.org.id }), "FORBIDDEN");
      await expectDomainError(m.revokeScimToken(database.db, who, { orgId: w.org.id, tokenId: mine.id }), "FORBIDDEN");
    }
    // Someone outside the organization does not see it at all.
    await expectDomainError(m.createScimToken(database.db, w.actors.outsider, input), "NOT_FOUND");
    await expectDomainError(m.createScimToken(database.db, null, input), "UNAUTHENTICATED");
    // Another organization's Owner cannot revoke this organization's token through their own organization.
    await expectDomainError(m.revokeScimToken(database.db, w.foreign.owner, { orgId: w.foreign.org.id, tokenId: mine.id }), "NOT_FOUND");
    const key = await m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "k", scope: "organization" });
    const keyActor = await m.authenticateApiKey(database.db, key.secret);
    await expectDomainError(m.createScimToken(database.db, keyActor, input), "FORBIDDEN");
    await expectDomainError(m.listScimTokens(database.db, keyActor, { orgId: w.org.id }), "FORBIDDEN");
    const [row] = await database.db.select().from(scimTokens).where(eq(scimTokens.id, mine.id));
    expect(row!.revokedAt).toBeNull();
  });

  it("a token needs a name by the name rule", async () => {
    await expectDomainError(m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "  " }), "INVALID");
  });

  it("a revoked token is refused at once, and cannot be revoked twice", async () => {
    const made = await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "Entra" });
    expect((await scim(database.db, made.token, "GET", `${w.org.id}/Schemas`)).status).toBe(200);
    await m.revokeScimToken(database.db, w.actors.owner, { orgId: w.org.id, tokenId: made.id });
    const refused = await scim(database.db, made.token, "GET", `${w.org.id}/Schemas`);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
    await expectDomainError(m.revokeScimToken(database.db, w.actors.owner, { orgId: w.org.id, tokenId: made.id }), "CONFLICT");
    const listed = await m.listScimTokens(database.db, w.actors.owner, { orgId: w.org.id });
    expect(listed.find((t) => t.id === made.id)!.revokedAt).not.toBeNull();
  });

  it("a token works only for its own organization's base URL; an API key is not a SCIM token", async () => {
    const mine = await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "A" });
    const theirs = await m.createScimToken(database.db, w.foreign.owner, { orgId: w.foreign.org.id, name: "B" });
    expect((await scim(database.db, theirs.token, "GET", `${w.org.id}/ServiceProviderConfig`)).status).toBe(401);
    expect((await scim(database.db, mine.token, "GET", `${w.foreign.org.id}/ServiceProviderConfig`)).status).toBe(401);
    const key = await m.createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "k2", scope: "organization" });
    expect((await scim(database.db, key.secret, "GET", `${w.org.id}/ServiceProviderConfig`)).status).toBe(401);
    expect((await scim(database.db, null, "GET", `${w.org.id}/ServiceProviderConfig`)).status).toBe(401);
  });
});
