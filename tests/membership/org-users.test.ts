import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailOutbox, invitationProjectGrants } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import {
  BASE_URL,
  activityFor,
  buildWorld,
  createUser,
  expectDomainError,
  expectNothingChanged,
  invitationRow,
  latestInvitationEmail,
  orgRoleOf,
  outboxFor,
  pendingInvitationsFor,
  projectRoleOf,
  uniqueEmail,
  worldOrgIds,
  type World,
} from "./fixtures";

const opts = (w: World, later = 0) => ({ now: new Date(w.now.getTime() + later), baseUrl: BASE_URL });
const tokenOf = (url: string) => new URL(url).pathname.split("/").pop()!;

describe.each(testTargets())("organization users on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("invites to the organization with a role and project access: one invitation per address carries all of it", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const newOwner = uniqueEmail("newowner");
    const newMember = uniqueEmail("newmember");
    const outcomes = await m.inviteToOrganization(
      db,
      w.actors.owner,
      { orgId: w.org.id, emails: [`${newOwner}, ${newMember}`, "not-an-address"], orgRole: "owner" },
      opts(w),
    );
    expect(outcomes.map((o) => [o.email, o.outcome])).toEqual([
      [newOwner, "invited"],
      [newMember, "invited"],
      ["not-an-address", "invalid"],
    ]);
    const [inv] = await pendingInvitationsFor(db, w.org.id, newOwner);
    expect(inv).toMatchObject({ orgRole: "owner" });
    expect(await db.select().from(invitationProjectGrants).where(eq(invitationProjectGrants.invitationId, inv!.id))).toEqual([]);
    const mail = await latestInvitationEmail(db, newOwner);
    expect(mail.payload).toMatchObject({ organizationName: w.org.name, roleLabel: "Organization Owner" });
    expect(mail.payload.projectName).toBeUndefined();

    const third = uniqueEmail("third");
    const grants = [
      { projectId: w.project.id, role: "admin" as const },
      { projectId: w.sideProject.id, role: "read_only" as const },
    ];
    const [o] = await m.inviteToOrganization(
      db,
      w.actors.owner,
      { orgId: w.org.id, emails: [third], orgRole: "member", projects: grants },
      opts(w),
    );
    expect(o?.outcome).toBe("invited");
    const [inv3] = await pendingInvitationsFor(db, w.org.id, third);
    const stored = await db
      .select({ projectId: invitationProjectGrants.projectId, role: invitationProjectGrants.role })
      .from(invitationProjectGrants)
      .where(eq(invitationProjectGrants.invitationId, inv3!.id));
    expect(stored.sort((a, b) => a.role.localeCompare(b.role))).toEqual([
      { projectId: w.project.id, role: "admin" },
      { projectId: w.sideProject.id, role: "read_only" },
    ]);
    const mail3 = await latestInvitationEmail(db, third);
    expect(mail3.payload.projectAccess).toBe(
      [`${w.project.name} as Project Admin`, `${w.sideProject.name} as Project Read-Only`].sort((a, b) => a.localeCompare(b)).join(", "),
    );

    // The project page lists it (with the role it grants there); the organization page with its grants.
    const onProject = await m.listPendingInvitations(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id }, opts(w));
    expect(onProject.items.find((i) => i.email === third)).toMatchObject({ role: "admin", isProjectInvitation: false });
    const onOrg = await m.listOrganizationInvitations(db, w.actors.owner, { orgId: w.org.id }, opts(w));
    expect(
      onOrg.items
        .find((i) => i.email === third)
        ?.grants.map((g) => g.projectId)
        .sort(),
    ).toEqual([w.project.id, w.sideProject.id].sort());
    expect(onOrg.items.find((i) => i.email === newOwner)).toMatchObject({ role: "owner", grants: [] });
    // The seeded project invitations are organization invitations with one grant.
    expect(onOrg.items.find((i) => i.email === w.actors.invitee.email)).toMatchObject({ role: "member", isProjectInvitation: true });

    // Activity: one record per address.
    const log = (await activityFor(db, w.org.id)).filter((a) => a.action === "invitation.created");
    expect(log.filter((a) => [newOwner, newMember, third].includes(a.targetEmail!))).toHaveLength(3);
  });

  it("gives existing members the project access at once, skips the invited, refuses unknown or foreign projects", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const outcomes = await m.inviteToOrganization(
      db,
      w.actors.owner,
      {
        orgId: w.org.id,
        emails: [w.actors.member.email, w.actors.invitee.email, w.admin2.email],
        orgRole: "member",
        projects: [{ projectId: w.sideProject.id, role: "read_write" }],
      },
      opts(w),
    );
    expect(outcomes).toEqual([
      { email: w.actors.member.email, outcome: "added", projects: [w.sideProject.name] },
      { email: w.actors.invitee.email, outcome: "already_invited" },
      { email: w.admin2.email, outcome: "already_member" },
    ]);
    expect(await projectRoleOf(db, w.sideProject.id, w.actors.member.id)).toBe("read_write");
    // admin2 keeps the role they had.
    expect(await projectRoleOf(db, w.sideProject.id, w.admin2.id)).toBe("admin");
    expect((await outboxFor(db, w.actors.member.email)).map((r) => r.kind)).toEqual(["added_to_project"]);

    await expectNothingChanged(db, worldOrgIds(w), async () => {
      for (const projects of [[{ projectId: w.foreign.project.id, role: "admin" }], [{ projectId: "nope", role: "admin" }]]) {
        await expectDomainError(
          m.inviteToOrganization(
            db,
            w.actors.owner,
            { orgId: w.org.id, emails: [uniqueEmail("x")], orgRole: "member", projects: projects as never },
            opts(w),
          ),
          "NOT_FOUND",
        );
      }
      for (const projects of [
        [{ projectId: w.project.id, role: "owner" }],
        "x",
        [
          { projectId: w.project.id, role: "admin" },
          { projectId: w.project.id, role: "read_only" },
        ],
      ]) {
        await expectDomainError(
          m.inviteToOrganization(
            db,
            w.actors.owner,
            { orgId: w.org.id, emails: [uniqueEmail("x")], orgRole: "member", projects: projects as never },
            opts(w),
          ),
          "INVALID",
        );
      }
      await expectDomainError(
        m.inviteToOrganization(db, w.actors.owner, { orgId: w.org.id, emails: [uniqueEmail("x")], orgRole: "admin" as never }, opts(w)),
        "INVALID",
      );
      await expectDomainError(
        m.inviteToOrganization(db, w.actors.admin, { orgId: w.org.id, emails: [uniqueEmail("x")], orgRole: "member" }, opts(w)),
        "FORBIDDEN",
      );
      await expectDomainError(
        m.inviteToOrganization(db, w.actors.outsider, { orgId: w.org.id, emails: [uniqueEmail("x")], orgRole: "member" }, opts(w)),
        "NOT_FOUND",
      );
      await expectDomainError(
        m.inviteToOrganization(db, null, { orgId: w.org.id, emails: [uniqueEmail("x")], orgRole: "member" }, opts(w)),
        "UNAUTHENTICATED",
      );
      await expectDomainError(
        m.inviteToOrganization(
          db,
          w.actors.owner,
          { orgId: w.org.id, emails: Array.from({ length: 51 }, (_, i) => `a${i}@example.test`), orgRole: "member" },
          opts(w),
        ),
        "INVALID",
      );
    });
  });

  it("accepting joins the organization with its role and every granted project in one transaction; twice is harmless", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const person = await createUser(db, "joiner");
    await m.inviteToOrganization(
      db,
      w.actors.owner,
      {
        orgId: w.org.id,
        emails: [person.email],
        orgRole: "owner",
        projects: [
          { projectId: w.project.id, role: "read_write" },
          { projectId: w.sideProject.id, role: "admin" },
        ],
      },
      opts(w),
    );
    const { token } = await latestInvitationEmail(db, person.email);
    const view = await m.getInvitationByToken(db, token, person, opts(w));
    expect(view).toMatchObject({
      state: "valid",
      orgRole: "owner",
      roleLabel: "Organization Owner",
      projectName: null,
      orgName: w.org.name,
    });
    const where = await m.acceptInvitation(db, person, { token }, opts(w));
    expect(where).toEqual({ orgId: w.org.id, projectId: null });
    expect(await orgRoleOf(db, w.org.id, person.id)).toBe("owner");
    expect(await projectRoleOf(db, w.project.id, person.id)).toBe("read_write");
    expect(await projectRoleOf(db, w.sideProject.id, person.id)).toBe("admin");
    expect(await m.acceptInvitation(db, person, { token }, opts(w))).toEqual(where);
    const log = (await activityFor(db, w.org.id)).filter((a) => a.targetUserId === person.id);
    expect(log.map((a) => [a.action, a.projectId, a.newRole]).sort()).toEqual(
      [
        ["invitation.accepted", null, "owner"],
        ["member.added", w.project.id, "read_write"],
        ["member.added", w.sideProject.id, "admin"],
      ].sort(),
    );
    // A project invitation still lands on its project.
    const where2 = await m.acceptInvitation(db, w.actors.invitee, { token: w.invitation.token }, opts(w));
    expect(where2).toEqual({ orgId: w.org.id, projectId: w.project.id });
    expect(await orgRoleOf(db, w.org.id, w.actors.invitee.id)).toBe("member");
  });

  it("copy link issues a new token without email, kills the older link and undelivered emails, and is recorded", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const email = uniqueEmail("linked");
    const [o] = await m.inviteUsers(
      db,
      w.actors.admin,
      { orgId: w.org.id, projectId: w.project.id, emails: [email], role: "read_only" },
      opts(w),
    );
    const invitationId = (o as { invitationId: string }).invitationId;
    const { token: emailed } = await latestInvitationEmail(db, email);
    const queued = await outboxFor(db, email);
    expect(queued.map((r) => r.status)).toEqual(["pending"]);

    // Delivery is failing: copy link works all the same, even right after the send (no cooldown).
    await db.update(emailOutbox).set({ attempts: 3, lastError: "provider down" }).where(eq(emailOutbox.invitationId, invitationId));
    const { url } = await m.copyInvitationLink(
      db,
      w.actors.admin,
      { orgId: w.org.id, projectId: w.project.id, invitationId },
      opts(w, 1000),
    );
    expect(url.startsWith(`${BASE_URL}/invite/`)).toBe(true);
    const after = await outboxFor(db, email);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: "cancelled", lastError: "Cancelled: a copied link replaced it" });
    expect((await m.getInvitationByToken(db, emailed, null, opts(w))).state).toBe("unknown");
    expect((await m.getInvitationByToken(db, tokenOf(url), null, opts(w))).state).toBe("sign_in");
    expect((await invitationRow(db, invitationId))?.expiresAt).toEqual(new Date(w.now.getTime() + 1000 + m.INVITATION_TTL_MS));
    // A second copy kills the first copied link.
    const again = await m.copyInvitationLink(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, invitationId }, opts(w, 2000));
    expect((await m.getInvitationByToken(db, tokenOf(url), null, opts(w))).state).toBe("unknown");
    expect(again.url).not.toBe(url);
    const log = (await activityFor(db, w.org.id, w.project.id)).filter((a) => a.action === "invitation.link_copied");
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ targetEmail: email, newRole: "read_only" });

    // From the organization page too; a revoked invitation gets no new link.
    const org = await m.copyOrganizationInvitationLink(db, w.actors.owner, { orgId: w.org.id, invitationId }, opts(w, 3000));
    const person = await createUser(db, "late");
    expect((await m.getInvitationByToken(db, tokenOf(org.url), person, opts(w))).state).toBe("wrong_account");
    await m.revokeOrganizationInvitation(db, w.actors.owner, { orgId: w.org.id, invitationId }, opts(w, 4000));
    await expectDomainError(
      m.copyOrganizationInvitationLink(db, w.actors.owner, { orgId: w.org.id, invitationId }, opts(w, 5000)),
      "CONFLICT",
    );
  });

  it("a Project Admin manages only plain project invitations on their project page; organization invitations are the owners'", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const email = uniqueEmail("orginv");
    const [o] = await m.inviteToOrganization(
      db,
      w.actors.owner,
      {
        orgId: w.org.id,
        emails: [email],
        orgRole: "member",
        projects: [
          { projectId: w.project.id, role: "read_only" },
          { projectId: w.sideProject.id, role: "read_only" },
        ],
      },
      opts(w),
    );
    const invitationId = (o as { invitationId: string }).invitationId;
    const ids = { orgId: w.org.id, projectId: w.project.id, invitationId };
    await expectNothingChanged(db, worldOrgIds(w), async () => {
      await expectDomainError(m.copyInvitationLink(db, w.actors.admin, ids, opts(w)), "FORBIDDEN");
      await expectDomainError(m.revokeInvitation(db, w.actors.admin, ids, opts(w)), "FORBIDDEN");
      await expectDomainError(m.resendInvitation(db, w.actors.admin, ids, opts(w, 120_000)), "FORBIDDEN");
      await expectDomainError(m.revokeOrganizationInvitation(db, w.actors.admin, { orgId: w.org.id, invitationId }, opts(w)), "FORBIDDEN");
      await expectDomainError(
        m.copyOrganizationInvitationLink(db, w.foreign.owner, { orgId: w.org.id, invitationId }, opts(w)),
        "NOT_FOUND",
      );
      await expectDomainError(
        m.copyOrganizationInvitationLink(db, w.foreign.owner, { orgId: w.foreign.org.id, invitationId }, opts(w)),
        "NOT_FOUND",
      );
      await expectDomainError(m.copyInvitationLink(db, null, ids, opts(w)), "UNAUTHENTICATED");
    });
    await m.resendOrganizationInvitation(db, w.actors.owner, { orgId: w.org.id, invitationId }, opts(w, 120_000));
    await expectDomainError(
      m.resendOrganizationInvitation(db, w.actors.owner, { orgId: w.org.id, invitationId }, opts(w, 130_000)),
      "RATE_LIMITED",
    );
    // Deleting one granted project removes only that grant from an organization invitation.
    await m.deleteProject(db, w.actors.owner, { orgId: w.org.id, projectId: w.sideProject.id, confirmName: w.sideProject.name });
    expect((await invitationRow(db, invitationId))?.status).toBe("pending");
    expect(
      await db
        .select({ p: invitationProjectGrants.projectId })
        .from(invitationProjectGrants)
        .where(and(eq(invitationProjectGrants.invitationId, invitationId))),
    ).toEqual([{ p: w.project.id }]);
    expect((await activityFor(db, w.org.id)).some((a) => a.action === "invitation.grant_removed" && a.targetEmail === email)).toBe(true);
  });

  it("changes organization roles, keeps at least one Owner, removes and lets people leave", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const org = w.org.id;
    const owner = w.actors.owner;
    // The only owner cannot demote themselves or leave.
    const demoteSelf = await expectDomainError(
      m.changeOrganizationRole(db, owner, { orgId: org, userId: owner.id, role: "member" }),
      "LAST_OWNER",
    );
    expect(demoteSelf.message).toBe("You are the only Organization Owner. Make someone else an Organization Owner first.");
    const leave = await expectDomainError(m.leaveOrganization(db, owner, { orgId: org }), "LAST_OWNER");
    expect(leave.message).toBe(m.LAST_OWNER_MESSAGE);
    await expectDomainError(
      m.changeOrganizationRole(db, w.actors.admin, { orgId: org, userId: w.actors.member.id, role: "owner" }),
      "FORBIDDEN",
    );
    await expectDomainError(m.changeOrganizationRole(db, owner, { orgId: org, userId: w.foreign.owner.id, role: "member" }), "NOT_FOUND");
    await expectDomainError(
      m.changeOrganizationRole(db, owner, { orgId: org, userId: w.actors.member.id, role: "admin" as never }),
      "INVALID",
    );

    expect(await m.changeOrganizationRole(db, owner, { orgId: org, userId: w.actors.member.id, role: "owner" })).toEqual({
      oldRole: "member",
      role: "owner",
    });
    expect(await orgRoleOf(db, org, w.actors.member.id)).toBe("owner");
    // Now there are two: the first may step down, then leave.
    await m.changeOrganizationRole(db, owner, { orgId: org, userId: owner.id, role: "member" });
    expect(await m.leaveOrganization(db, owner, { orgId: org })).toEqual({ left: w.org.name, projects: 0 });
    expect(await orgRoleOf(db, org, owner.id)).toBeNull();
    // A member who is the last admin of a project must hand it over first; with project access it goes too.
    const lastAdmin = await expectDomainError(m.leaveOrganization(db, w.admin2, { orgId: org }), "LAST_ADMIN");
    expect(lastAdmin.message).toContain(w.sideProject.name);
    expect(await m.leaveOrganization(db, w.actors.readWrite, { orgId: org })).toEqual({ left: w.org.name, projects: 1 });
    expect(await projectRoleOf(db, w.project.id, w.actors.readWrite.id)).toBeNull();
    await expectDomainError(m.leaveOrganization(db, w.actors.outsider, { orgId: org }), "NOT_FOUND");
    await expectDomainError(m.leaveOrganization(db, null, { orgId: org }), "UNAUTHENTICATED");
    const log = await activityFor(db, org);
    expect(log.filter((a) => a.action === "org_member.role_changed")).toHaveLength(2);
    expect(
      log
        .filter((a) => a.action === "org_member.left")
        .map((a) => a.targetEmail)
        .sort(),
    ).toEqual([owner.email, w.actors.readWrite.email].sort());
    expect(log.some((a) => a.action === "member.left" && a.projectId === w.project.id && a.targetEmail === w.actors.readWrite.email)).toBe(
      true,
    );
  });
});
