import { createHash, randomUUID } from "node:crypto";
import { openLink, sealContext } from "@/lib/email/sealed";
import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activity, invitationProjectGrants, invitations, organizationMemberships, users } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import {
  BASE_URL,
  activityFor,
  adminCount,
  buildWorld,
  createUser,
  expectDomainError,
  expectNothingChanged,
  insertInvitation,
  invitationRow,
  latestInvitationEmail,
  orgRoleOf,
  outboxFor,
  pendingInvitationsFor,
  projectRoleOf,
  uniqueEmail,
  worldOrgIds,
  type TestActor,
  type World,
} from "./fixtures";

const HOUR = 3_600_000;
const T0 = new Date("2031-03-04T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const opts = (now: Date) => ({ now, baseUrl: BASE_URL });
const ids = (w: World) => ({ orgId: w.org.id, projectId: w.project.id });

describe.each(testTargets())("membership lifecycle on %s", (kind) => {
  const database = useTestDatabase(kind);

  /** Invites one new account-holder at T0 and returns them with the token from the email. */
  async function inviteNewUser(w: World, role: m.ProjectRole = "read_write") {
    const person = await createUser(database.db, "newcomer", w.tag);
    const [outcome] = await m.inviteUsers(database.db, w.actors.admin, { ...ids(w), emails: [person.email], role }, opts(T0));
    expect(outcome?.outcome).toBe("invited");
    const invitationId = (outcome as { invitationId: string }).invitationId;
    const { token } = await latestInvitationEmail(database.db, person.email);
    return { person, invitationId, token };
  }

  describe("inviting", () => {
    it("gives each address its own outcome, folds duplicates, compares case-insensitively and writes outbox and activity rows", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const fresh = uniqueEmail("fresh", w.tag);
      const outcomes = await m.inviteUsers(
        database.db,
        w.actors.admin,
        {
          ...ids(w),
          emails: [
            w.actors.member.email.toUpperCase(),
            `  ${w.actors.readWrite.email}  `,
            w.actors.invitee.email.replace(/^./, (c) => c.toUpperCase()),
            `${fresh}, ${fresh.toUpperCase()}\n  ${fresh};${fresh}`,
            w.actors.outsider.email,
            "not-an-email",
          ],
          role: "read_write",
        },
        opts(T0),
      );
      expect(outcomes).toEqual([
        { email: w.actors.member.email, outcome: "added" },
        { email: w.actors.readWrite.email, outcome: "already_collaborator" },
        { email: w.actors.invitee.email, outcome: "already_invited" },
        { email: fresh, outcome: "invited", invitationId: expect.any(String) },
        { email: w.actors.outsider.email, outcome: "invited", invitationId: expect.any(String) },
        { email: "not-an-email", outcome: "invalid", reason: "The address has no @" },
      ]);

      // The existing organization member is a collaborator at once, with a notice and no invitation.
      expect(await projectRoleOf(database.db, w.project.id, w.actors.member.id)).toBe("read_write");
      expect(await pendingInvitationsFor(database.db, w.org.id, w.actors.member.email)).toHaveLength(0);
      const memberMail = await outboxFor(database.db, w.actors.member.email);
      expect(memberMail.map((r) => r.kind)).toEqual(["added_to_project"]);
      expect(openLink(String(memberMail[0]!.payload.url), sealContext("added_to_project", w.actors.member.email))).toBe(
        `${BASE_URL}/orgs/${w.org.id}/projects/${w.project.id}/members`,
      );
      expect(memberMail[0]!.payload.projectName).toBe(w.project.name);

      // Everyone else gets one invitation, stored normalized, with an email that holds the link.
      for (const email of [fresh, w.actors.outsider.email]) {
        const pending = await pendingInvitationsFor(database.db, w.org.id, email);
        expect(pending).toHaveLength(1);
        expect(pending[0]).toMatchObject({ orgRole: "member", invitedById: w.actors.admin.id, lastSentAt: T0, expiresAt: at(48 * HOUR) });
        // A project invitation: one grant, this project, this role.
        expect(
          await database.db
            .select({ projectId: invitationProjectGrants.projectId, role: invitationProjectGrants.role })
            .from(invitationProjectGrants)
            .where(eq(invitationProjectGrants.invitationId, pending[0]!.id)),
        ).toEqual([{ projectId: w.project.id, role: "read_write" }]);
        const mail = await outboxFor(database.db, email);
        expect(mail.map((r) => [r.kind, r.invitationId])).toEqual([["invitation", pending[0]!.id]]);
        expect(String(mail[0]!.payload.url)).not.toContain("/invite/");
        expect(openLink(String(mail[0]!.payload.url), sealContext("invitation", email))).toMatch(
          new RegExp(`^${BASE_URL}/invite/[A-Za-z0-9_-]{43}$`),
        );
      }
      // The skipped addresses got no email, and the outsider keeps no role in this organization yet.
      expect(await outboxFor(database.db, w.actors.readWrite.email)).toHaveLength(0);
      expect(await outboxFor(database.db, w.actors.invitee.email)).toHaveLength(0);
      expect(await orgRoleOf(database.db, w.org.id, w.actors.outsider.id)).toBeNull();

      const log = (await activityFor(database.db, w.org.id, w.project.id)).filter((a) => a.createdAt.getTime() === T0.getTime());
      expect(log.map((a) => [a.action, a.targetEmail, a.newRole, a.actorId]).sort()).toEqual(
        [
          ["invitation.created", fresh, "read_write", w.actors.admin.id],
          ["invitation.created", w.actors.outsider.email, "read_write", w.actors.admin.id],
          ["member.added", w.actors.member.email, "read_write", w.actors.admin.id],
        ].sort(),
      );
    });

    it("refuses 51 addresses (and an empty list) as a whole, and accepts 50, also after folding duplicates", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const many = (n: number, label: string) => Array.from({ length: n }, (_, i) => `${label}${i}.${w.tag}@example.test`);
      const refused = await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.inviteUsers(database.db, w.actors.owner, { ...ids(w), emails: many(51, "a"), role: "read_only" }, opts(T0)),
          "INVALID",
        ),
      );
      expect(refused.message).toContain("at most 50");
      // Invalid entries count toward the 50 too.
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.inviteUsers(database.db, w.actors.owner, { ...ids(w), emails: [...many(50, "b"), "nope"], role: "read_only" }, opts(T0)),
          "INVALID",
        ),
      );
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.inviteUsers(database.db, w.actors.owner, { ...ids(w), emails: [" , \n "], role: "read_only" }, opts(T0)),
          "INVALID",
        ),
      );
      // 60 entries that fold to 50 distinct addresses are fine.
      const fifty = many(50, "c");
      const outcomes = await m.inviteUsers(
        database.db,
        w.actors.owner,
        { ...ids(w), emails: [...fifty, ...fifty.slice(0, 10).map((e) => e.toUpperCase())], role: "read_only" },
        opts(T0),
      );
      expect(outcomes).toHaveLength(50);
      expect(outcomes.every((o) => o.outcome === "invited")).toBe(true);
      const [open] = await database.db
        .select({ n: count() })
        .from(invitations)
        .innerJoin(invitationProjectGrants, eq(invitationProjectGrants.invitationId, invitations.id))
        .where(and(eq(invitationProjectGrants.projectId, w.project.id), eq(invitations.status, "pending")));
      expect(open?.n).toBe(52);
    });

    it("an address that looks like SQL but is valid is stored verbatim, and nothing else is touched", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const tricky = `x'or'1'='1--.${w.tag}@example.test`;
      const [outcome] = await m.inviteUsers(database.db, w.actors.owner, { ...ids(w), emails: [tricky], role: "read_only" }, opts(T0));
      expect(outcome?.outcome).toBe("invited");
      expect(await pendingInvitationsFor(database.db, w.org.id, tricky)).toHaveLength(1);
      expect(await projectRoleOf(database.db, w.project.id, w.actors.admin.id)).toBe("admin");
    });
  });

  describe("invitation expiry (injected clock)", () => {
    it("is valid until 48 h after sending, then expired: acceptance refused with EXPIRED and the page says so", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, invitationId, token } = await inviteNewUser(w);
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(48 * HOUR - 1)))).state).toBe("valid");
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(48 * HOUR)))).state).toBe("expired");
      expect((await m.getInvitationByToken(database.db, token, null, opts(at(48 * HOUR)))).state).toBe("expired");

      const list = (now: Date) => m.listPendingInvitations(database.db, w.actors.admin, ids(w), opts(now));
      const row = async (now: Date) => (await list(now)).items.find((i) => i.id === invitationId)!;
      expect((await row(T0)).expiryLabel).toBe("Expires in 48 hours");
      expect((await row(at(47.5 * HOUR))).expiryLabel).toBe("Expires in 30 minutes");
      expect(await row(at(48 * HOUR))).toMatchObject({ isExpired: true, expiryLabel: "Expired" });

      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(m.acceptInvitation(database.db, person, { token }, opts(at(48 * HOUR))), "EXPIRED"),
      );
      expect(await orgRoleOf(database.db, w.org.id, person.id)).toBeNull();
    });

    it("can still be accepted a moment before it expires", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, token } = await inviteNewUser(w);
      await m.acceptInvitation(database.db, person, { token }, opts(at(48 * HOUR - 1000)));
      expect(await projectRoleOf(database.db, w.project.id, person.id)).toBe("read_write");
    });
  });

  describe("resend", () => {
    it("rotates the token, resets the 48 h window, and is limited to once a minute", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, invitationId, token: oldToken } = await inviteNewUser(w);
      const resend = (now: Date, actor: TestActor = w.actors.admin) =>
        m.resendInvitation(database.db, actor, { ...ids(w), invitationId }, opts(now));

      const limited = await expectNothingChanged(database.db, worldOrgIds(w), () => expectDomainError(resend(at(30_000)), "RATE_LIMITED"));
      expect(limited.message).toContain("30 seconds");

      const { expiresAt } = await resend(at(61_000), w.actors.owner);
      expect(expiresAt).toEqual(at(61_000 + 48 * HOUR));
      const { token: newToken, invitationId: mailedFor } = await latestInvitationEmail(database.db, person.email);
      expect(mailedFor).toBe(invitationId);
      expect(newToken).not.toBe(oldToken);
      expect((await outboxFor(database.db, person.email)).map((r) => r.kind)).toEqual(["invitation", "invitation"]);
      expect(await invitationRow(database.db, invitationId)).toMatchObject({
        resendCount: 1,
        lastSentAt: at(61_000),
        expiresAt: at(61_000 + 48 * HOUR),
        status: "pending",
      });

      // The old link stops working; the new one works.
      expect((await m.getInvitationByToken(database.db, oldToken, person, opts(at(62_000)))).state).toBe("unknown");
      await expectDomainError(m.acceptInvitation(database.db, person, { token: oldToken }, opts(at(62_000))), "NOT_FOUND");
      expect((await m.getInvitationByToken(database.db, newToken, person, opts(at(62_000)))).state).toBe("valid");

      // Another resend within the minute after the last one is refused; at 60 s it is allowed.
      await expectDomainError(resend(at(61_000 + 59_000)), "RATE_LIMITED");
      await resend(at(61_000 + 60_000));
      expect((await invitationRow(database.db, invitationId))?.resendCount).toBe(2);

      const log = await activityFor(database.db, w.org.id, w.project.id);
      expect(
        log
          .filter((a) => a.action === "invitation.resent")
          .map((a) => a.actorId)
          .sort(),
      ).toEqual([w.actors.admin.id, w.actors.owner.id].sort());
    });

    it("is allowed on an expired invitation and makes it acceptable again; refused once accepted or revoked", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, invitationId, token } = await inviteNewUser(w);
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(49 * HOUR)))).state).toBe("expired");
      await m.resendInvitation(database.db, w.actors.admin, { ...ids(w), invitationId }, opts(at(49 * HOUR)));
      const { token: fresh } = await latestInvitationEmail(database.db, person.email);
      expect((await m.getInvitationByToken(database.db, fresh, person, opts(at(96 * HOUR)))).state).toBe("valid");
      await m.acceptInvitation(database.db, person, { token: fresh }, opts(at(96 * HOUR)));
      expect(await projectRoleOf(database.db, w.project.id, person.id)).toBe("read_write");
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(m.resendInvitation(database.db, w.actors.admin, { ...ids(w), invitationId }, opts(at(100 * HOUR))), "CONFLICT"),
      );

      await m.revokeInvitation(database.db, w.actors.admin, { ...ids(w), invitationId: w.strangerInvitation.id }, opts(at(HOUR)));
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.resendInvitation(database.db, w.actors.admin, { ...ids(w), invitationId: w.strangerInvitation.id }, opts(at(2 * HOUR))),
          "CONFLICT",
        ),
      );
    });
  });

  describe("revoke", () => {
    it("turns the link into 'revoked', refuses acceptance, and repeating it is harmless", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, invitationId, token } = await inviteNewUser(w);
      expect(await m.revokeInvitation(database.db, w.actors.admin, { ...ids(w), invitationId }, opts(at(HOUR)))).toEqual({
        status: "revoked",
      });
      expect(await invitationRow(database.db, invitationId)).toMatchObject({ status: "revoked", revokedAt: at(HOUR) });
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(HOUR)))).state).toBe("revoked");
      expect((await m.listPendingInvitations(database.db, w.actors.admin, ids(w), opts(at(HOUR)))).items.map((i) => i.id)).not.toContain(
        invitationId,
      );

      await expectNothingChanged(database.db, worldOrgIds(w), async () => {
        await expectDomainError(m.acceptInvitation(database.db, person, { token }, opts(at(HOUR))), "CONFLICT");
        await expectDomainError(m.declineInvitation(database.db, person, { token }, opts(at(HOUR))), "CONFLICT");
        expect(await m.revokeInvitation(database.db, w.actors.owner, { ...ids(w), invitationId }, opts(at(2 * HOUR)))).toEqual({
          status: "revoked",
        });
      });
      expect(await orgRoleOf(database.db, w.org.id, person.id)).toBeNull();
      expect((await activityFor(database.db, w.org.id, w.project.id)).filter((a) => a.action === "invitation.revoked")).toHaveLength(1);
    });

    it("works on an expired invitation, and is refused on an accepted one", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const expired = await inviteNewUser(w);
      await m.revokeInvitation(database.db, w.actors.owner, { ...ids(w), invitationId: expired.invitationId }, opts(at(72 * HOUR)));
      expect((await invitationRow(database.db, expired.invitationId))?.status).toBe("revoked");

      const accepted = await inviteNewUser(w);
      await m.acceptInvitation(database.db, accepted.person, { token: accepted.token }, opts(at(HOUR)));
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.revokeInvitation(database.db, w.actors.owner, { ...ids(w), invitationId: accepted.invitationId }, opts(at(2 * HOUR))),
          "CONFLICT",
        ),
      );
    });
  });

  describe("accept and decline", () => {
    it("refuses the wrong account (FORBIDDEN, page says 'wrong_account') and a signed-out visitor", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, token } = await inviteNewUser(w);
      for (const other of [w.actors.member, w.actors.owner, w.actors.outsider]) {
        const error = await expectNothingChanged(database.db, worldOrgIds(w), () =>
          expectDomainError(m.acceptInvitation(database.db, other, { token }, opts(at(HOUR))), "FORBIDDEN"),
        );
        expect(error.message).toContain(person.email);
        const view = await m.getInvitationByToken(database.db, token, other, opts(at(HOUR)));
        expect(view).toMatchObject({ state: "wrong_account", email: person.email, orgId: w.org.id, projectId: w.project.id });
      }
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(m.acceptInvitation(database.db, null, { token }, opts(at(HOUR))), "UNAUTHENTICATED"),
      );
      expect((await m.getInvitationByToken(database.db, token, null, opts(at(HOUR)))).state).toBe("sign_in");
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(HOUR)))).state).toBe("valid");
    });

    it("accepts in one go (organization + project membership + accepted + activity); accepting twice is harmless", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, invitationId, token } = await inviteNewUser(w, "read_only");
      // The session may spell the address differently; the comparison is on the normalized form.
      const sameButShouted = { ...person, email: ` ${person.email.toUpperCase()} ` };
      expect(await m.acceptInvitation(database.db, sameButShouted, { token }, opts(at(HOUR)))).toEqual(ids(w));
      expect(await orgRoleOf(database.db, w.org.id, person.id)).toBe("member");
      expect(await projectRoleOf(database.db, w.project.id, person.id)).toBe("read_only");
      expect(await invitationRow(database.db, invitationId)).toMatchObject({
        status: "accepted",
        acceptedById: person.id,
        acceptedAt: at(HOUR),
      });
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(HOUR)))).state).toBe("accepted");

      await expectNothingChanged(database.db, worldOrgIds(w), async () => {
        expect(await m.acceptInvitation(database.db, person, { token }, opts(at(2 * HOUR)))).toEqual(ids(w));
      });
      const accepted = (await activityFor(database.db, w.org.id, w.project.id)).filter((a) => a.action === "invitation.accepted");
      expect(accepted.map((a) => [a.actorId, a.targetUserId, a.newRole])).toEqual([[person.id, person.id, "read_only"]]);
      // Access is real: the new collaborator sees the list.
      expect((await m.listCollaborators(database.db, person, ids(w))).items.map((i) => i.email)).toContain(person.email);
    });

    it("someone given a role since the invitation keeps it; an Organization Owner stays owner", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const invitation = await insertInvitation(database.db, { ...ids(w), email: w.actors.owner.email, role: "read_only", sentAt: T0 });
      await m.acceptInvitation(database.db, w.actors.owner, { token: invitation.token }, opts(at(HOUR)));
      expect(await orgRoleOf(database.db, w.org.id, w.actors.owner.id)).toBe("owner");
      expect(await projectRoleOf(database.db, w.project.id, w.actors.owner.id)).toBe("read_only");

      const late = await insertInvitation(database.db, { ...ids(w), email: w.actors.readWrite.email, role: "admin", sentAt: T0 });
      await m.acceptInvitation(database.db, w.actors.readWrite, { token: late.token }, opts(at(HOUR)));
      expect(await projectRoleOf(database.db, w.project.id, w.actors.readWrite.id)).toBe("read_write");
    });

    it("decline leaves the pending list, grants nothing, is harmless twice, and blocks acceptance", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { person, invitationId, token } = await inviteNewUser(w);
      expect(await m.declineInvitation(database.db, person, { token }, opts(at(HOUR)))).toEqual({ status: "declined" });
      expect(await invitationRow(database.db, invitationId)).toMatchObject({ status: "declined", declinedAt: at(HOUR) });
      expect((await m.getInvitationByToken(database.db, token, person, opts(at(HOUR)))).state).toBe("declined");
      expect((await m.listPendingInvitations(database.db, w.actors.admin, ids(w), opts(at(HOUR)))).items.map((i) => i.id)).not.toContain(
        invitationId,
      );
      await expectNothingChanged(database.db, worldOrgIds(w), async () => {
        expect(await m.declineInvitation(database.db, person, { token }, opts(at(2 * HOUR)))).toEqual({ status: "declined" });
        await expectDomainError(m.acceptInvitation(database.db, person, { token }, opts(at(2 * HOUR))), "CONFLICT");
        await expectDomainError(m.declineInvitation(database.db, w.actors.member, { token }, opts(at(2 * HOUR))), "FORBIDDEN");
      });
      expect(await orgRoleOf(database.db, w.org.id, person.id)).toBeNull();
      expect(
        (await activityFor(database.db, w.org.id, w.project.id))
          .filter((a) => a.action === "invitation.declined")
          .map((a) => a.targetEmail),
      ).toEqual([person.email]);
      // The address can be invited again.
      const [again] = await m.inviteUsers(
        database.db,
        w.actors.admin,
        { ...ids(w), emails: [person.email], role: "read_only" },
        opts(at(3 * HOUR)),
      );
      expect(again?.outcome).toBe("invited");
    });
  });

  describe("removing someone from the organization", () => {
    it("cascades every project membership, revokes pending invitations to them, and ends access at once", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      await m.inviteUsers(
        database.db,
        w.actors.owner,
        { orgId: w.org.id, projectId: w.sideProject.id, emails: [w.target.email], role: "read_write" },
        opts(T0),
      );
      expect(await projectRoleOf(database.db, w.sideProject.id, w.target.id)).toBe("read_write");
      // An invitation to their address that predates their joining (e.g. sent to a second project).
      const stale = await insertInvitation(database.db, { ...ids(w), email: w.target.email, role: "admin", sentAt: T0 });

      const result = await m.removeOrganizationMember(
        database.db,
        w.actors.owner,
        { orgId: w.org.id, userId: w.target.id },
        opts(at(HOUR)),
      );
      expect(result).toEqual({ removed: w.target.email, projects: 2 });
      expect(await orgRoleOf(database.db, w.org.id, w.target.id)).toBeNull();
      expect(await projectRoleOf(database.db, w.project.id, w.target.id)).toBeNull();
      expect(await projectRoleOf(database.db, w.sideProject.id, w.target.id)).toBeNull();
      expect(await invitationRow(database.db, stale.id)).toMatchObject({ status: "revoked", revokedAt: at(HOUR) });
      expect((await m.getInvitationByToken(database.db, stale.token, w.target, opts(at(HOUR)))).state).toBe("revoked");
      // Their user account survives; other people's memberships do not move.
      expect(await database.db.select({ id: users.id }).from(users).where(eq(users.id, w.target.id))).toHaveLength(1);
      expect(await projectRoleOf(database.db, w.project.id, w.actors.readOnly.id)).toBe("read_only");

      const log = (await activityFor(database.db, w.org.id)).filter((a) => a.createdAt.getTime() === at(HOUR).getTime());
      expect(log.map((a) => [a.action, a.projectId, a.oldRole]).sort()).toEqual(
        [
          ["org_member.removed", null, "member"],
          ["member.removed", w.project.id, "read_only"],
          ["member.removed", w.sideProject.id, "read_write"],
          ["invitation.revoked", w.project.id, "admin"],
        ].sort(),
      );
      await expectDomainError(m.listCollaborators(database.db, w.target, ids(w)), "NOT_FOUND");
      await expectDomainError(m.listProjects(database.db, w.target, { orgId: w.org.id }), "NOT_FOUND");
    });

    it("refuses to remove the last Organization Owner (LAST_OWNER) or a project's last admin (LAST_ADMIN)", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const error = await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.removeOrganizationMember(database.db, w.actors.owner, { orgId: w.org.id, userId: w.actors.owner.id }, opts(T0)),
          "LAST_OWNER",
        ),
      );
      expect(error.message).toContain(w.actors.owner.email);
      // admin2 is the only admin of the side project.
      const lastAdmin = await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.removeOrganizationMember(database.db, w.actors.owner, { orgId: w.org.id, userId: w.admin2.id }, opts(T0)),
          "LAST_ADMIN",
        ),
      );
      expect(lastAdmin.message).toContain(w.sideProject.name);

      // With a second owner, an owner may leave the organization (by being removed by themself).
      const second = await createUser(database.db, "owner2", w.tag);
      await database.db.insert(organizationMemberships).values({ orgId: w.org.id, userId: second.id, role: "owner" });
      await m.removeOrganizationMember(database.db, w.actors.owner, { orgId: w.org.id, userId: w.actors.owner.id }, opts(T0));
      expect(await orgRoleOf(database.db, w.org.id, w.actors.owner.id)).toBeNull();
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(m.removeOrganizationMember(database.db, second, { orgId: w.org.id, userId: second.id }, opts(T0)), "LAST_OWNER"),
      );
    });
  });

  describe("the last Project Admin", () => {
    it("cannot be demoted, removed, or leave; once someone else is admin, they can", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const side = { orgId: w.org.id, projectId: w.sideProject.id };
      const admin2 = w.admin2;
      await expectNothingChanged(database.db, worldOrgIds(w), async () => {
        const demoteSelf = await expectDomainError(
          m.changeRole(database.db, admin2, { ...side, userId: admin2.id, role: "read_only" }, opts(T0)),
          "LAST_ADMIN",
        );
        expect(demoteSelf.message).toContain("You are the only Project Admin");
        const demoted = await expectDomainError(
          m.changeRole(database.db, w.actors.owner, { ...side, userId: admin2.id, role: "read_write" }, opts(T0)),
          "LAST_ADMIN",
        );
        expect(demoted.message).toContain(admin2.email);
        await expectDomainError(m.removeCollaborator(database.db, w.actors.owner, { ...side, userId: admin2.id }, opts(T0)), "LAST_ADMIN");
        const left = await expectDomainError(m.leaveProject(database.db, admin2, side, opts(T0)), "LAST_ADMIN");
        expect(left.message).toBe(m.LAST_ADMIN_MESSAGE);
        // Setting the role it already has is a no-op, not a change.
        expect(await m.changeRole(database.db, admin2, { ...side, userId: admin2.id, role: "admin" }, opts(T0))).toEqual({
          oldRole: "admin",
          role: "admin",
        });
      });
      expect(await adminCount(database.db, w.sideProject.id)).toBe(1);

      const [added] = await m.inviteUsers(database.db, admin2, { ...side, emails: [w.actors.member.email], role: "admin" }, opts(T0));
      expect(added?.outcome).toBe("added");
      await m.leaveProject(database.db, admin2, side, opts(at(HOUR)));
      expect(await projectRoleOf(database.db, w.sideProject.id, admin2.id)).toBeNull();
      expect(await adminCount(database.db, w.sideProject.id)).toBe(1);
      await expectNothingChanged(database.db, worldOrgIds(w), () =>
        expectDomainError(
          m.changeRole(database.db, w.actors.member, { ...side, userId: w.actors.member.id, role: "read_only" }, opts(at(HOUR))),
          "LAST_ADMIN",
        ),
      );
    });

    it("with two admins: one may demote the other, then may not demote themself; role changes are logged with old and new role", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      expect(
        await m.changeRole(database.db, w.actors.admin, { ...ids(w), userId: w.admin2.id, role: "read_only" }, opts(at(HOUR))),
      ).toEqual({ oldRole: "admin", role: "read_only" });
      await expectDomainError(
        m.changeRole(database.db, w.actors.admin, { ...ids(w), userId: w.actors.admin.id, role: "read_only" }, opts(at(2 * HOUR))),
        "LAST_ADMIN",
      );
      await expectDomainError(
        m.removeCollaborator(database.db, w.actors.owner, { ...ids(w), userId: w.actors.admin.id }, opts(at(2 * HOUR))),
        "LAST_ADMIN",
      );
      // The demoted admin lost management at once.
      await expectDomainError(m.listPendingInvitations(database.db, w.admin2, ids(w), opts(at(2 * HOUR))), "FORBIDDEN");
      await m.removeCollaborator(database.db, w.actors.admin, { ...ids(w), userId: w.actors.readWrite.id }, opts(at(3 * HOUR)));
      await m.leaveProject(database.db, w.actors.readOnly, ids(w), opts(at(4 * HOUR)));

      const page = await m.listActivity(database.db, w.actors.owner, ids(w));
      expect(page.items.slice(0, 3).map((i) => [i.action, i.targetEmail, i.oldRole, i.newRole, i.actorEmail])).toEqual([
        ["member.left", w.actors.readOnly.email, "read_only", null, w.actors.readOnly.email],
        ["member.removed", w.actors.readWrite.email, "read_write", null, w.actors.admin.email],
        ["member.role_changed", w.admin2.email, "admin", "read_only", w.actors.admin.email],
      ]);
      const orgPage = await m.listOrganizationActivity(database.db, w.actors.owner, { orgId: w.org.id });
      expect(orgPage.total).toBe(page.total);
    });
  });

  describe("tokens", () => {
    it("stores only the SHA-256 hash: the raw token from the email appears nowhere in the invitations table", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const { invitationId, token } = await inviteNewUser(w);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
      const row = await invitationRow(database.db, invitationId);
      expect(row?.tokenHash).toBe(createHash("sha256").update(token).digest("base64url"));
      expect(row?.tokenHash).not.toBe(token);

      const hits = async (table: "invitations" | "activity") => {
        const res = await database.db.execute(
          sql`select count(*)::int as n from ${sql.identifier(table)} t where position(${token} in t::text) > 0`,
        );
        return (res as unknown as { rows: { n: number }[] }).rows[0]?.n;
      };
      expect(await hits("invitations")).toBe(0);
      expect(await hits("activity")).toBe(0);
      // The check itself is sound: the hash is found the same way.
      const res = await database.db.execute(
        sql`select count(*)::int as n from invitations t where position(${row!.tokenHash} in t::text) > 0`,
      );
      expect((res as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
    });
  });

  describe("seat cap", () => {
    it("holds an organization at 1,000 members plus pending invitations", async () => {
      const w = await buildWorld(database.db, { now: T0 });
      const used = async () => {
        const [members] = await database.db
          .select({ n: count() })
          .from(organizationMemberships)
          .where(eq(organizationMemberships.orgId, w.org.id));
        const [open] = await database.db
          .select({ n: count() })
          .from(invitations)
          .where(and(eq(invitations.orgId, w.org.id), eq(invitations.status, "pending")));
        return (members?.n ?? 0) + (open?.n ?? 0);
      };
      const start = await used();
      // Bulk: members up to 995 in use, then pending invitations up to 998.
      const people = Array.from({ length: 995 - start }, (_, i) => ({
        id: randomUUID(),
        email: `bulk${i}.${w.tag}@example.test`,
        name: null,
      }));
      for (let i = 0; i < people.length; i += 400) {
        const chunk = people.slice(i, i + 400);
        await database.db.insert(users).values(chunk);
        await database.db
          .insert(organizationMemberships)
          .values(chunk.map((p) => ({ orgId: w.org.id, userId: p.id, role: "member" as const })));
      }
      for (let i = 0; i < 3; i++) await insertInvitation(database.db, { ...ids(w), email: `held${i}.${w.tag}@example.test`, sentAt: T0 });
      expect(await used()).toBe(998);

      const newcomers = (n: number, label: string) => Array.from({ length: n }, (_, i) => `${label}${i}.${w.tag}@example.test`);
      // Three newcomers, two seats: two go out, the third is refused on its own line.
      const over = await m.inviteUsers(
        database.db,
        w.actors.admin,
        { ...ids(w), emails: newcomers(3, "over"), role: "read_only" },
        opts(T0),
      );
      expect(over.map((o) => o.outcome)).toEqual(["invited", "invited", "limit_reached"]);
      expect(over[2]).toMatchObject({ reason: expect.stringContaining("998 of 1000") });
      expect(await used()).toBe(1000);
      const full = await expectNothingChanged(database.db, worldOrgIds(w), () =>
        m.inviteUsers(database.db, w.actors.admin, { ...ids(w), emails: newcomers(1, "one"), role: "read_only" }, opts(T0)),
      );
      expect(full.map((o) => o.outcome)).toEqual(["limit_reached"]);
      // Adding an existing member takes no seat, even at the cap.
      expect(
        (await m.inviteUsers(database.db, w.actors.admin, { ...ids(w), emails: [people[0]!.email], role: "read_only" }, opts(T0))).map(
          (o) => o.outcome,
        ),
      ).toEqual(["added"]);
      // Revoking frees a seat.
      await m.revokeInvitation(database.db, w.actors.admin, { ...ids(w), invitationId: w.strangerInvitation.id }, opts(T0));
      expect(
        (await m.inviteUsers(database.db, w.actors.admin, { ...ids(w), emails: newcomers(1, "freed"), role: "read_only" }, opts(T0))).map(
          (o) => o.outcome,
        ),
      ).toEqual(["invited"]);
      expect(await used()).toBe(1000);
      const [logged] = await database.db
        .select({ n: count() })
        .from(activity)
        .where(and(eq(activity.orgId, w.org.id), eq(activity.action, "invitation.created")));
      // The fixture's seeded row, then the two that fit and the one after the revoke.
      expect(logged?.n).toBe(1 + 2 + 1);
    });
  });
});
