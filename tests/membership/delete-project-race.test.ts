import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/db/client";
import { activity, emailOutbox, invitationProjectGrants, invitations, projectMemberships, projects, users } from "@/db/schema";
import * as m from "@/lib/membership";
import { DomainError } from "@/lib/membership/errors";
import { lockWaiters, testTargets, until, useTestDatabase } from "../db";
import {
  BASE_URL,
  addCollaborators,
  addOrgMembers,
  attempt,
  createOrganization,
  createProjectRow,
  createUser,
  describeError,
  insertInvitation,
  latestInvitationEmail,
  orgRoleOf,
  uniqueEmail,
  type Outcome,
} from "./fixtures";

/**
 * Deleting a project and inviting to it are serialized (the deletion locks the project FOR UPDATE,
 * invites FOR KEY SHARE): an invite either commits first and its invitation is revoked (or loses
 * that grant) by the deletion, or it waits and finds no project. Never a pending invitation left
 * without the project it was for. Server only: PGlite runs one transaction at a time.
 */

const ROUNDS = 24;
const PROJECT_INVITES = 5;
type Invited = Outcome<{ email: string; outcome: string }[]>;

describe.each(testTargets().filter((k) => k === "postgres"))("deleting a project while it is invited to, on %s", (kind) => {
  const database = useTestDatabase(kind, { max: 4 });
  let pool: Database;

  beforeAll(async () => {
    pool = database.connectAgain(PROJECT_INVITES + 3);
  });

  const outcomeOf = (o: Invited) =>
    o.ok ? o.value[0]!.outcome : o.error instanceof DomainError && o.error.code === "NOT_FOUND" ? "not_found" : describeError(o.error);

  /** Until the deletion waits for a lock on the project row (at its lock, or at its DELETE), or `done`. */
  const deletionWaits = (done: () => boolean) =>
    until(
      database.db,
      async () =>
        done() ||
        (await lockWaiters(database.db, 'delete from "projects"%')) + (await lockWaiters(database.db, '%from "projects"%for update%')) > 0,
    );

  /** Until `n` invites wait for a lock on a project row (FOR KEY SHARE). */
  const waitersOnProjects = (n: number) =>
    until(database.db, async () => (await lockWaiters(database.db, '%from "projects"%for key share%')) >= n);

  it(`${ROUNDS} rounds of ${PROJECT_INVITES} project invites, an organization invite and the deletion at once: each invite is revoked or refused`, async () => {
    const org = await createOrganization(database.db);
    const owner = await createUser(database.db, "owner");
    await addOrgMembers(database.db, org.id, [{ user: owner, role: "owner" }]);
    const kept = await createProjectRow(database.db, org.id);
    const tally: Record<string, number> = {};

    for (let round = 0; round < ROUNDS; round++) {
      const doomed = await createProjectRow(database.db, org.id);
      await addCollaborators(database.db, { orgId: org.id, projectId: doomed.id }, [{ user: owner, role: "admin" }]);
      const invitees = Array.from({ length: PROJECT_INVITES }, (_, i) => uniqueEmail(`p${i}`));
      const wide = uniqueEmail("wide");

      // Even rounds start everything at once, the deletion at a different place among the invites.
      // Odd rounds start the deletion from inside one invite (a project invite, or the organization
      // invite) after its writes, and let that invite commit once the deletion waits for the project.
      let deletion: Promise<Outcome<{ revoked: number }>> | undefined;
      let settled = false;
      const deleteNow = () =>
        (deletion ??= attempt(() =>
          m.deleteProject(pool.db, owner, { orgId: org.id, projectId: doomed.id, confirmName: doomed.name }),
        ).finally(() => (settled = true)));
      const inside = round % 2 === 1 ? ((round - 1) / 2) % (PROJECT_INVITES + 1) : -1;
      const options = (i: number) => ({
        baseUrl: BASE_URL,
        beforeClaims: i === inside ? async () => void (deleteNow(), await deletionWaits(() => settled)) : undefined,
      });
      const calls: (() => Promise<unknown>)[] = invitees.map(
        (email, i) => () =>
          m.inviteUsers(pool.db, owner, { orgId: org.id, projectId: doomed.id, emails: [email], role: "read_only" }, options(i)),
      );
      const grants = [
        { projectId: doomed.id, role: "read_write" as const },
        { projectId: kept.id, role: "read_only" as const },
      ];
      calls.push(() =>
        m.inviteToOrganization(
          pool.db,
          owner,
          { orgId: org.id, emails: [wide], orgRole: "member", projects: grants },
          options(PROJECT_INVITES),
        ),
      );
      if (inside < 0) calls.splice(round % (calls.length + 1), 0, deleteNow);
      const results = await Promise.all(calls.map((call) => (call === deleteNow ? deleteNow() : attempt(call))));
      const deleted = await deleteNow();
      if (!deleted.ok) throw new Error(`round ${round}: the deletion failed: ${describeError(deleted.error)}`);
      const outcomes = (results.filter((_, i) => calls[i] !== deleteNow) as Invited[]).map(outcomeOf);
      outcomes.forEach(
        (o, i) =>
          (tally[`${i < PROJECT_INVITES ? "project" : "organization"} ${o}`] =
            (tally[`${i < PROJECT_INVITES ? "project" : "organization"} ${o}`] ?? 0) + 1),
      );
      expect(
        outcomes.every((o) => o === "invited" || o === "not_found"),
        `round ${round}: ${outcomes.join(", ")}`,
      ).toBe(true);
      if (inside >= 0) expect(outcomes[inside], `round ${round}: the invite the deletion started from`).toBe("invited");

      // No pending invitation of this round has lost every project (each one made here granted one).
      const orphans = await database.db
        .select({ email: invitations.email })
        .from(invitations)
        .leftJoin(invitationProjectGrants, eq(invitationProjectGrants.invitationId, invitations.id))
        .where(and(eq(invitations.orgId, org.id), eq(invitations.status, "pending"), inArray(invitations.email, [...invitees, wide])))
        .groupBy(invitations.email)
        .having(sql`count(${invitationProjectGrants.projectId}) = 0`);
      expect(orphans, `round ${round}`).toEqual([]);

      // Each project invitation that was made was revoked by the deletion, with its activity; its email withdrawn.
      const invited = invitees.filter((_, i) => outcomes[i] === "invited");
      expect(deleted.value.revoked, `round ${round}`).toBe(invited.length);
      const rows = await database.db
        .select()
        .from(invitations)
        .where(and(eq(invitations.orgId, org.id), inArray(invitations.email, [...invitees, wide])));
      for (const email of invited) expect(rows.find((r) => r.email === email)?.status, `round ${round}: ${email}`).toBe("revoked");
      expect(rows.filter((r) => invitees.includes(r.email))).toHaveLength(invited.length);
      const revokedLog = await database.db
        .select()
        .from(activity)
        .where(and(eq(activity.orgId, org.id), eq(activity.action, "invitation.revoked"), eq(activity.projectName, doomed.name)));
      expect(revokedLog.map((a) => a.targetEmail).sort()).toEqual([...invited].sort());
      if (invited.length > 0) {
        const waiting = await database.db
          .select()
          .from(emailOutbox)
          .where(and(inArray(emailOutbox.to, invited), inArray(emailOutbox.status, ["pending", "sending"])));
        expect(waiting).toEqual([]);
      }

      // The organization invitation, if made, only lost the deleted project.
      const wideRow = rows.find((r) => r.email === wide);
      expect(wideRow ? "invited" : "not_found").toBe(outcomes[PROJECT_INVITES]);
      if (wideRow) {
        expect(wideRow.status).toBe("pending");
        const left = await database.db.select().from(invitationProjectGrants).where(eq(invitationProjectGrants.invitationId, wideRow.id));
        expect(left.map((g) => [g.projectId, g.role])).toEqual([[kept.id, "read_only"]]);
        expect(
          await database.db.$count(activity, and(eq(activity.action, "invitation.grant_removed"), eq(activity.targetEmail, wide))),
        ).toBe(1);
      }

      // Nobody joins the organization through the vanished project: whatever is still pending is
      // accepted, and each person who joins holds a project that exists.
      for (const invitation of rows.filter((r) => r.status === "pending")) {
        const person = { id: randomUUID(), email: invitation.email, name: "Invitee" };
        await database.db.insert(users).values(person);
        await m.acceptInvitation(database.db, person, { token: (await latestInvitationEmail(database.db, invitation.email)).token });
        const held = await database.db.select().from(projectMemberships).where(eq(projectMemberships.userId, person.id));
        expect(
          held.map((h) => h.projectId),
          `round ${round}: ${invitation.email} joined ${org.name} with no project`,
        ).toEqual([kept.id]);
        expect(await orgRoleOf(database.db, org.id, person.id)).toBe("member");
      }
    }
    console.log(`[delete-project race] ${ROUNDS} rounds: ${JSON.stringify(tally)}`);
  });

  it("an invite that waits for a deletion in progress finds no project afterwards: not found, nothing written", async () => {
    const org = await createOrganization(database.db);
    const owner = await createUser(database.db, "owner");
    await addOrgMembers(database.db, org.id, [{ user: owner, role: "owner" }]);
    const doomed = await createProjectRow(database.db, org.id);
    const [project, wide] = [uniqueEmail("late"), uniqueEmail("late-wide")];
    let invites: Promise<Invited[]> | undefined;
    await pool.db.transaction(async (tx) => {
      await tx.delete(projects).where(eq(projects.id, doomed.id));
      // Past their checks outside the transaction (the project is still there for them), the
      // invites wait for the project row, and see it deleted once this commits.
      invites = Promise.all([
        attempt(() =>
          m.inviteUsers(
            pool.db,
            owner,
            { orgId: org.id, projectId: doomed.id, emails: [project], role: "read_only" },
            { baseUrl: BASE_URL },
          ),
        ),
        attempt(() =>
          m.inviteToOrganization(
            pool.db,
            owner,
            { orgId: org.id, emails: [wide], orgRole: "member", projects: [{ projectId: doomed.id, role: "admin" }] },
            { baseUrl: BASE_URL },
          ),
        ),
      ]);
      await waitersOnProjects(2);
    });
    expect((await invites!).map(outcomeOf)).toEqual(["not_found", "not_found"]);
    expect(await database.db.$count(invitations, eq(invitations.orgId, org.id))).toBe(0);
    expect(await database.db.$count(emailOutbox, inArray(emailOutbox.to, [project, wide]))).toBe(0);
  });
  /** Until `n` sessions wait for a lock, whatever their statement. */
  const anyLockWaiters = (n: number) => until(database.db, async () => (await lockWaiters(database.db)) >= n);

  it.each(["accept", "decline"] as const)(
    "an invitee who answers (%s) while the project is locked for deletion waits before taking the invitation: the deletion can still take it, no deadlock",
    async (answer) => {
      const org = await createOrganization(database.db);
      const doomed = await createProjectRow(database.db, org.id);
      const person = await createUser(database.db, "answering");
      const invitation = await insertInvitation(database.db, {
        orgId: org.id,
        projectId: doomed.id,
        email: person.email,
        sentAt: new Date(),
      });
      let answered: Promise<Outcome<unknown>> | undefined;
      let tookInvitation = false;
      await pool.db
        .transaction(async (tx) => {
          // The deletion's first locks: the project FOR UPDATE; then it would lock the pending invitation.
          await tx.execute(sql`select id from projects where id = ${doomed.id} for update`);
          answered = attempt<unknown>(() =>
            answer === "accept"
              ? m.acceptInvitation(pool.db, person, { token: invitation.token })
              : m.declineInvitation(pool.db, person, { token: invitation.token }),
          );
          await anyLockWaiters(1);
          // Were the answer holding the invitation while it waits for the project, this would be a deadlock.
          await tx.execute(sql`select id from invitations where id = ${invitation.id} for update nowait`);
          tookInvitation = true;
          await tx.execute(sql`update invitations set status = 'revoked', revoked_at = now() where id = ${invitation.id}`);
          await tx.delete(projects).where(eq(projects.id, doomed.id));
        })
        .catch(() => undefined);
      expect(tookInvitation).toBe(true);
      const outcome = await answered!;
      expect(outcome.ok ? "answered" : describeError(outcome.error)).toMatch(/revoked/);
      expect(await database.db.$count(projectMemberships, eq(projectMemberships.userId, person.id))).toBe(0);
    },
  );
});
