import { and, count, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import {
  BASE_URL,
  buildWorld,
  createOrganization,
  createUser,
  addOrgMembers,
  createProjectRow,
  addCollaborators,
  expectDomainError,
  uniqueEmail,
  type World,
} from "./fixtures";

const T0 = new Date("2032-05-06T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const LIMITS: m.EmailLimits = { perRecipient: 5, perInviter: 200, perOrganization: 1000, windowMs: 60 * 60_000 };
const opts = (now: Date, limits: m.EmailLimits = LIMITS) => ({ now, baseUrl: BASE_URL, limits });
const ids = (w: World) => ({ orgId: w.org.id, projectId: w.project.id });

async function emailsTo(db: Db, addresses: string[], kind: "invitation" | "added_to_project") {
  const [row] = await db
    .select({ n: count() })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.to, addresses), eq(emailOutbox.kind, kind)));
  return row?.n ?? 0;
}

describe.each(testTargets())("flood limits on invitation and notice emails on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("caps an invite → revoke → invite loop at the per-recipient limit, says when to retry, and opens again after the window", async () => {
    const w = await buildWorld(database.db, { now: T0 });
    const victim = uniqueEmail("victim", w.tag);
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const [o] = await m.inviteUsers(database.db, w.actors.admin, { ...ids(w), emails: [victim], role: "read_only" }, opts(at(i * 1000)));
      outcomes.push(o!.outcome);
      if (o!.outcome === "invited")
        await m.revokeInvitation(database.db, w.actors.admin, { ...ids(w), invitationId: o!.invitationId }, opts(at(i * 1000 + 500)));
      else if (o!.outcome === "rate_limited") expect(o!.retryAfterSeconds).toBeGreaterThan(3500);
    }
    expect(outcomes.filter((o) => o === "invited")).toHaveLength(5);
    expect(outcomes.slice(5).every((o) => o === "rate_limited")).toBe(true);
    expect(await emailsTo(database.db, [victim], "invitation")).toBe(5);
    // Another organization cannot add to the flood either: the limit is per address, installation-wide.
    const [fromForeign] = await m.inviteUsers(
      database.db,
      w.foreign.owner,
      { orgId: w.foreign.org.id, projectId: w.foreign.project.id, emails: [victim], role: "read_only" },
      opts(at(20_000)),
    );
    expect(fromForeign).toMatchObject({ outcome: "rate_limited", reason: expect.stringMatching(/Try again in \d+ minutes/) });
    // After the window the address may be invited again.
    const [later] = await m.inviteUsers(
      database.db,
      w.actors.admin,
      { ...ids(w), emails: [victim], role: "read_only" },
      opts(at(LIMITS.windowMs + 1000)),
    );
    expect(later?.outcome).toBe("invited");
  });

  it("holds for organization invitations too: an invite → revoke loop, a resend, and notices to existing members", async () => {
    const w = await buildWorld(database.db, { now: T0 });
    const victim = uniqueEmail("org-victim", w.tag);
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const [o] = await m.inviteToOrganization(
        database.db,
        w.actors.owner,
        { orgId: w.org.id, emails: [victim], orgRole: "member" },
        opts(at(i * 1000)),
      );
      outcomes.push(o!.outcome);
      if (o!.outcome === "invited")
        await m.revokeOrganizationInvitation(
          database.db,
          w.actors.owner,
          { orgId: w.org.id, invitationId: o!.invitationId },
          opts(at(i * 1000 + 500)),
        );
    }
    expect(outcomes.filter((o) => o === "invited")).toHaveLength(5);
    expect(outcomes.slice(5).every((o) => o === "rate_limited")).toBe(true);
    expect(await emailsTo(database.db, [victim], "invitation")).toBe(5);

    // A resend from the organization page is one more email to the inbox.
    const other = uniqueEmail("org-resend", w.tag);
    const [first] = await m.inviteToOrganization(
      database.db,
      w.actors.owner,
      { orgId: w.org.id, emails: [other], orgRole: "member" },
      opts(T0, { ...LIMITS, perRecipient: 2 }),
    );
    expect(first?.outcome).toBe("invited");
    const invitationId = (first as { invitationId: string }).invitationId;
    await m.resendOrganizationInvitation(
      database.db,
      w.actors.owner,
      { orgId: w.org.id, invitationId },
      opts(at(61_000), { ...LIMITS, perRecipient: 2 }),
    );
    await expectDomainError(
      m.resendOrganizationInvitation(
        database.db,
        w.actors.owner,
        { orgId: w.org.id, invitationId },
        opts(at(122_000), { ...LIMITS, perRecipient: 2 }),
      ),
      "RATE_LIMITED",
    );

    // An existing member given project access twice in a window is told once.
    const projects = [{ projectId: w.project.id, role: "read_only" as const }];
    const person = w.actors.member;
    await m.inviteToOrganization(
      database.db,
      w.actors.owner,
      { orgId: w.org.id, emails: [person.email], orgRole: "member", projects },
      opts(T0),
    );
    await m.removeCollaborator(database.db, w.actors.owner, { ...ids(w), userId: person.id }, opts(at(1000)));
    const [again] = await m.inviteToOrganization(
      database.db,
      w.actors.owner,
      { orgId: w.org.id, emails: [person.email], orgRole: "member", projects },
      opts(at(2000)),
    );
    expect(again?.outcome).toBe("added");
    expect(await emailsTo(database.db, [person.email], "added_to_project")).toBe(1);
  });

  it("folds case and +tags of one inbox into one count, and sends the rest of the batch", async () => {
    const w = await buildWorld(database.db, { now: T0 });
    const base = uniqueEmail("tagged", w.tag);
    const [local, domain] = base.split("@");
    const variants = Array.from({ length: 7 }, (_, i) => `${local}+v${i}@${domain}`);
    const other = uniqueEmail("other", w.tag);
    const result = await m.inviteUsers(
      database.db,
      w.actors.admin,
      { ...ids(w), emails: [...variants, other], role: "read_only" },
      opts(T0),
    );
    const byOutcome = (o: string) => result.filter((r) => r.outcome === o).map((r) => r.email);
    expect(byOutcome("invited")).toHaveLength(6); // 5 variants of one inbox + the other address
    expect(byOutcome("invited")).toContain(other);
    expect(byOutcome("rate_limited")).toHaveLength(2);
    expect(await emailsTo(database.db, variants, "invitation")).toBe(5);
  });

  it("caps an add → remove loop: one notice per person and project, and the per-recipient limit across projects", async () => {
    const w = await buildWorld(database.db, { now: T0 });
    const person = w.actors.member;
    let added = 0;
    for (let i = 0; i < 10; i++) {
      const [o] = await m.inviteUsers(
        database.db,
        w.actors.admin,
        { ...ids(w), emails: [person.email], role: "read_only" },
        opts(at(i * 1000)),
      );
      expect(o?.outcome).toBe("added");
      added++;
      await m.removeCollaborator(database.db, w.actors.admin, { ...ids(w), userId: person.id }, opts(at(i * 1000 + 500)));
    }
    expect(added).toBe(10);
    expect(await emailsTo(database.db, [person.email], "added_to_project")).toBe(1);

    // An owner looping over fresh projects is held by the per-recipient limit instead.
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const project = await createProjectRow(database.db, w.org.id);
      await addCollaborators(database.db, { orgId: w.org.id, projectId: project.id }, [{ user: w.actors.owner, role: "admin" }]);
      const [o] = await m.inviteUsers(
        database.db,
        w.actors.owner,
        { orgId: w.org.id, projectId: project.id, emails: [person.email], role: "read_only" },
        opts(at(20_000 + i)),
      );
      outcomes.push(o!.outcome);
    }
    expect(outcomes.filter((o) => o === "added")).toHaveLength(4);
    expect(outcomes.filter((o) => o === "rate_limited")).toHaveLength(4);
    expect(await emailsTo(database.db, [person.email], "added_to_project")).toBe(5);
  });

  it("counts a resend against the recipient limit", async () => {
    const w = await buildWorld(database.db, { now: T0 });
    const victim = uniqueEmail("resent", w.tag);
    const [o] = await m.inviteUsers(database.db, w.actors.admin, { ...ids(w), emails: [victim], role: "read_only" }, opts(T0));
    const invitationId = (o as { invitationId: string }).invitationId;
    for (let i = 1; i <= 4; i++) await m.resendInvitation(database.db, w.actors.admin, { ...ids(w), invitationId }, opts(at(i * 61_000)));
    const refused = await expectDomainError(
      m.resendInvitation(database.db, w.actors.admin, { ...ids(w), invitationId }, opts(at(5 * 61_000))),
      "RATE_LIMITED",
    );
    expect(refused.message).toMatch(/Try again in \d+ minutes/);
    expect(await emailsTo(database.db, [victim], "invitation")).toBe(5);
  });

  it("limits per inviter and per organization, without using up the recipient's count on a refusal", async () => {
    const org = await createOrganization(database.db);
    const [owner, admin2] = [await createUser(database.db, "owner"), await createUser(database.db, "owner2")];
    await addOrgMembers(database.db, org.id, [
      { user: owner, role: "owner" },
      { user: admin2, role: "owner" },
    ]);
    const project = await createProjectRow(database.db, org.id);
    const scope = { orgId: org.id, projectId: project.id };
    const limits = { ...LIMITS, perInviter: 3, perOrganization: 5 };
    const first = await m.inviteUsers(
      database.db,
      owner,
      { ...scope, emails: ["a", "b", "c", "d"].map((l) => uniqueEmail(l)), role: "read_only" },
      opts(T0, limits),
    );
    expect(first.map((r) => r.outcome).sort()).toEqual(["invited", "invited", "invited", "rate_limited"]);
    const held = first.find((r) => r.outcome === "rate_limited")!;
    expect(held).toMatchObject({ reason: expect.stringMatching(/^You sent 3 invitations/) });
    const second = await m.inviteUsers(
      database.db,
      admin2,
      { ...scope, emails: [held.email, uniqueEmail("e"), uniqueEmail("f")], role: "read_only" },
      opts(at(1000), limits),
    );
    expect(second.filter((r) => r.outcome === "invited")).toHaveLength(2);
    expect(second.find((r) => r.outcome === "rate_limited")).toMatchObject({ reason: expect.stringMatching(/^This organization sent 5/) });
    // The held address was never counted: its own limit is untouched.
    expect(second.find((r) => r.email === held.email)?.outcome).toBe("invited");
  });
});
