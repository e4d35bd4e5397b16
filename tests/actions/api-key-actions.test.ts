import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { doubles } from "./action-doubles";
import { apiKeys } from "@/db/schema";
import { createApiKey, type Actor } from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, snapshot, worldOrgIds, type World } from "../membership/fixtures";

/**
 * The API keys page's server actions called directly, as a request would reach them: only the
 * session, database and cache are replaced; the domain runs against a real database.
 */

const actions = await import("@/app/orgs/[orgId]/settings/api-keys/actions");

describe.each(testTargets())("API key actions on %s", (kind) => {
  const database = useTestDatabase(kind);
  let w: World;
  beforeAll(async () => {
    doubles.db = database.db;
    w = await buildWorld(database.db);
  });

  const keyRows = async () => JSON.stringify(await database.db.select().from(apiKeys).orderBy(apiKeys.id));

  async function refusedWithoutChange(
    actor: Actor | null,
    call: () => Promise<{ ok: boolean; code?: string; message?: string }>,
    code: string,
  ) {
    doubles.actor = actor;
    const before = [await snapshot(database.db, worldOrgIds(w)), await keyRows()];
    const result = await call();
    expect(result).toMatchObject({ ok: false, code });
    expect(result.message).toEqual(expect.any(String));
    expect([await snapshot(database.db, worldOrgIds(w)), await keyRows()]).toEqual(before);
  }

  it("an Organization Owner creates a project key with an expiry, and the secret comes back once", async () => {
    doubles.actor = w.actors.owner;
    const result = await actions.createApiKeyAction({
      orgId: w.org.id,
      name: " Export ",
      scope: "projects",
      projects: [{ projectId: w.project.id, role: "read_only" }],
      expiresOn: "2099-01-31",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.secret).toMatch(/^mck_/);
    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, result.data.id));
    expect(row).toMatchObject({
      name: "Export",
      scope: "projects",
      expiresAt: new Date("2099-01-31T23:59:59.999Z"),
      createdById: w.actors.owner.id,
    });
  });

  it("an Organization Owner revokes a key", async () => {
    const key = await createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "to revoke", scope: "organization" });
    doubles.actor = w.actors.owner;
    expect(await actions.revokeApiKeyAction({ orgId: w.org.id, keyId: key.id })).toEqual({ ok: true, data: { status: "revoked" } });
    expect((await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0]!.revokedAt).not.toBeNull();
  });

  const create = () => actions.createApiKeyAction({ orgId: w.org.id, name: "nope", scope: "organization" });

  it.each([
    ["a Project Admin", "admin", "FORBIDDEN"],
    ["an Organization Member", "member", "FORBIDDEN"],
    ["a Read-Only collaborator", "readOnly", "FORBIDDEN"],
    ["someone signed out", null, "UNAUTHENTICATED"],
  ] as const)("%s may not create a key", async (_who, role, code) => {
    await refusedWithoutChange(role ? w.actors[role] : null, create, code);
  });

  it("another organization's owner gets not found, for creating and for revoking", async () => {
    const key = await createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "theirs", scope: "organization" });
    await refusedWithoutChange(w.foreign.owner, create, "NOT_FOUND");
    await refusedWithoutChange(w.foreign.owner, () => actions.revokeApiKeyAction({ orgId: w.foreign.org.id, keyId: key.id }), "NOT_FOUND");
    await refusedWithoutChange(w.foreign.owner, () => actions.revokeApiKeyAction({ orgId: w.org.id, keyId: key.id }), "NOT_FOUND");
  });

  it.each([
    ["a Project Admin", "admin", "FORBIDDEN"],
    ["an Organization Member", "member", "FORBIDDEN"],
    ["someone signed out", null, "UNAUTHENTICATED"],
  ] as const)("%s may not revoke a key", async (_who, role, code) => {
    const key = await createApiKey(database.db, w.actors.owner, { orgId: w.org.id, name: "kept", scope: "organization" });
    await refusedWithoutChange(role ? w.actors[role] : null, () => actions.revokeApiKeyAction({ orgId: w.org.id, keyId: key.id }), code);
  });

  it.each([
    ["no arguments", undefined],
    ["a string", "orgId"],
    ["a missing name", { orgId: "x", scope: "organization" }],
    ["an unknown scope", { orgId: "x", name: "n", scope: "everything" }],
    ["a project role keys cannot have", { orgId: "x", name: "n", scope: "projects", projects: [{ projectId: "p", role: "read_write" }] }],
    ["a malformed expiry", { orgId: "x", name: "n", scope: "organization", expiresOn: "tomorrow" }],
  ])("malformed input to create (%s) is refused with a sentence", async (_what, raw) => {
    await refusedWithoutChange(w.actors.owner, () => actions.createApiKeyAction(raw), "INVALID");
  });

  it("a day that does not exist is refused, not rolled over into the next month", async () => {
    const raw = { orgId: w.org.id, name: "Dated", scope: "organization", expiresOn: "2099-02-31" };
    await refusedWithoutChange(w.actors.owner, () => actions.createApiKeyAction(raw), "INVALID");
    doubles.actor = w.actors.owner;
    expect(await actions.createApiKeyAction(raw)).toMatchObject({
      message: "Choose a date that exists on the calendar",
      fieldErrors: { expiresOn: ["Choose a date that exists on the calendar"] },
    });
  });

  it.each([
    ["a C1 control (NEL)", "Nightly\u0085export", "A key name cannot contain control characters or line breaks."],
    ["a C1 control (CSI)", "Nightly\u009b31m", "A key name cannot contain control characters or line breaks."],
    ["a right-to-left override", "Export\u202etxt.exe", "A key name cannot contain text-direction characters (such as U+202E)."],
    ["zero-width characters only", "\u200b\u200c", "A key name needs at least one letter, number or symbol that can be seen."],
    ["81 characters", "k".repeat(81), "A key name has 1 to 80 characters."],
  ])("a key name with %s is refused with the rule's sentence and changes nothing", async (_what, name, message) => {
    const raw = { orgId: w.org.id, name, scope: "organization" };
    await refusedWithoutChange(w.actors.owner, () => actions.createApiKeyAction(raw), "INVALID");
    doubles.actor = w.actors.owner;
    expect(await actions.createApiKeyAction(raw)).toMatchObject({ message });
  });

  it("domain checks of a well-formed request still refuse: blank name, no project, a past expiry", async () => {
    for (const raw of [
      { orgId: w.org.id, name: "   ", scope: "organization" },
      { orgId: w.org.id, name: "n", scope: "projects", projects: [] },
      { orgId: w.org.id, name: "n", scope: "organization", expiresOn: "2001-01-01" },
    ]) {
      await refusedWithoutChange(w.actors.owner, () => actions.createApiKeyAction(raw), "INVALID");
    }
    await refusedWithoutChange(w.actors.owner, () => actions.revokeApiKeyAction({ orgId: w.org.id, keyId: "not-a-key" }), "NOT_FOUND");
  });
});
