import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "@/db/client";
import { invitations, organizationMemberships, organizations, projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { ORG_SEAT_LIMIT } from "@/lib/membership/invitations/invitation-rules";
import { testTargets, useTestDatabase } from "../db";
import {
  BASE_URL,
  addCollaborators,
  addOrgMembers,
  attempt,
  createOrganization,
  createProjectRow,
  createUsers,
  describeError,
  freshTag,
} from "./fixtures";

/**
 * Invites take no organization row lock (docs/product-rules.md, "Invariants"): an address is
 * locked on its own, and the seats and the organization's email counter are claimed last, just
 * before commit. These tests show that an invite does not wait for organization verbs nor for
 * another invite's writes, that the address lock works, and that the seat limit, the
 * organization's email limit and "one pending invitation per address" still hold exactly when
 * invites race. Server only: PGlite runs one transaction at a time.
 */

const ROUNDS = 12;

describe.each(testTargets().filter((k) => k === "postgres"))("invites side by side on %s", (kind) => {
  const database = useTestDatabase(kind, { max: 4 });
  let pools: Database[];

  beforeAll(async () => {
    pools = [0, 1, 2, 3].map(() => database.connectAgain(3));
  });

  async function organization(admins: number) {
    const org = await createOrganization(database.db);
    const [owner, ...people] = await createUsers(database.db, ["owner", ...Array.from({ length: admins }, (_, i) => `admin${i}`)]);
    await addOrgMembers(database.db, org.id, [
      { user: owner!, role: "owner" },
      ...people.map((p) => ({ user: p, role: "member" as const })),
    ]);
    const projects = [];
    for (const admin of people) {
      const project = await createProjectRow(database.db, org.id);
      await addCollaborators(database.db, { orgId: org.id, projectId: project.id }, [{ user: admin, role: "admin" }]);
      projects.push(project);
    }
    return { org, owner: owner!, admins: people, projects };
  }

  /**
   * Each admin invites three new addresses (`<prefix>-<admin>-<k>-…`) to their project, all at once
   * on pools of their own: the outcomes, none of them a raw error.
   */
  async function eachAdminInvitesThree(
    orgId: string,
    admins: m.Actor[],
    projects: { id: string }[],
    prefix: string,
    options: Partial<Parameters<typeof m.inviteUsers>[3]> = {},
  ): Promise<string[]> {
    const outcomes = await Promise.all(
      admins.map((admin, i) =>
        attempt(() =>
          m.inviteUsers(
            pools[i]!.db,
            admin,
            {
              orgId,
              projectId: projects[i]!.id,
              emails: [0, 1, 2].map((k) => `${prefix}-${i}-${k}-${freshTag()}@example.test`),
              role: "read_only",
            },
            { baseUrl: BASE_URL, ...options },
          ),
        ),
      ),
    );
    for (const o of outcomes) if (!o.ok) throw new Error(`raw error in a race: ${describeError(o.error)}`);
    return outcomes.flatMap((o) => (o.ok ? o.value.map((v) => v.outcome) : []));
  }

  async function pendingInvitations(orgId: string): Promise<{ n: number }> {
    const [open] = await database.db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending")));
    return open!;
  }

  /** Waits until `n` sessions of this database wait for an advisory lock, as pg_locks shows it. */
  async function waitersOnAdvisoryLocks(n: number) {
    for (;;) {
      const result = (await database.db.execute(
        sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
          and database = (select oid from pg_database where datname = current_database())`,
      )) as unknown as { rows: { n: number }[] };
      if (result.rows[0]!.n >= n) return;
      await database.db.execute(sql`select pg_sleep(0.01)`);
    }
  }

  it("an invite goes through while another transaction holds the organization row, as organization verbs do", async () => {
    const { org, owner, admins, projects } = await organization(1);
    const done = await pools[0]!.db.transaction(async (tx) => {
      // The lock createProject, changeOrganizationRole, removeOrganizationMember… take, held open:
      // an invite that needed it would wait for this transaction, which waits for the invite.
      await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, org.id)).for("no key update");
      const project = await m.inviteUsers(
        pools[1]!.db,
        admins[0]!,
        { orgId: org.id, projectId: projects[0]!.id, emails: [`p-${freshTag()}@example.test`], role: "read_only" },
        { baseUrl: BASE_URL },
      );
      const whole = await m.inviteToOrganization(
        pools[2]!.db,
        owner,
        {
          orgId: org.id,
          emails: [`o-${freshTag()}@example.test`],
          orgRole: "member",
          projects: [{ projectId: projects[0]!.id, role: "read_only" }],
        },
        { baseUrl: BASE_URL },
      );
      return [project[0]!.outcome, whole[0]!.outcome];
    });
    expect(done).toEqual(["invited", "invited"]);
  });

  /** Whether any session of this database waits for any lock (advisory, row or relation). */
  async function anyoneWaits(): Promise<boolean> {
    const result = (await database.db.execute(
      sql`select count(*)::int as n from pg_locks where not granted and database = (select oid from pg_database where datname = current_database())`,
    )) as unknown as { rows: { n: number }[] };
    return result.rows[0]!.n > 0;
  }

  it("an invite paused after its writes holds nothing another invite of the organization needs: the second goes through", async () => {
    const { org, owner, admins, projects } = await organization(2);
    let release!: () => void;
    let paused!: () => void;
    const atClaims = new Promise<void>((resolve) => (paused = resolve));
    const first = m.inviteUsers(
      pools[0]!.db,
      admins[0]!,
      { orgId: org.id, projectId: projects[0]!.id, emails: [`first-${freshTag()}@example.test`], role: "read_only" },
      {
        baseUrl: BASE_URL,
        // Everything is written (invitation, email, activity, the address's counters); the seats
        // and the organization's email counter are not yet claimed.
        beforeClaims: () => {
          paused();
          return new Promise<void>((resolve) => (release = resolve));
        },
      },
    );
    await atClaims;
    // Another admin's project invite and an owner's organization invite, while the first is open:
    // they finish, or one of them waits for a lock (then the first is let go, and the test fails).
    let finished = false;
    const others = (async () => {
      const second = await m.inviteUsers(
        pools[1]!.db,
        admins[1]!,
        { orgId: org.id, projectId: projects[1]!.id, emails: [`second-${freshTag()}@example.test`], role: "admin" },
        { baseUrl: BASE_URL },
      );
      const third = await m.inviteToOrganization(
        pools[2]!.db,
        owner,
        { orgId: org.id, emails: [`third-${freshTag()}@example.test`], orgRole: "member", projects: [] },
        { baseUrl: BASE_URL },
      );
      return [second[0]!.outcome, third[0]!.outcome];
    })().finally(() => (finished = true));
    const waited = async () => {
      while (!finished) {
        if (await anyoneWaits()) return "waited for a lock";
        await database.db.execute(sql`select pg_sleep(0.01)`);
      }
      return "finished";
    };
    const whileOpen = await Promise.race([others.then(() => "finished"), waited()]);
    release();
    const outcomes = [(await first)[0]!.outcome, ...(await others)];
    expect(whileOpen).toBe("finished");
    expect(outcomes).toEqual(["invited", "invited", "invited"]);
    const [open] = await database.db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.orgId, org.id), eq(invitations.status, "pending")));
    expect(open?.n).toBe(3);
  });

  it("an open invite of an address holds up a second invite of that address, which then finds it invited", async () => {
    const { org, admins, projects } = await organization(2);
    const shared = `shared-${freshTag()}@example.test`;
    let second: Promise<m.InviteOutcome[]> | undefined;
    const first = await pools[0]!.db.transaction(async (tx) => {
      const outcomes = await m.inviteUsers(
        tx as unknown as Db,
        admins[0]!,
        { orgId: org.id, projectId: projects[0]!.id, emails: [shared], role: "read_only" },
        { baseUrl: BASE_URL },
      );
      // Still uncommitted: another admin invites the same person to another project, and waits.
      second = m.inviteUsers(
        pools[1]!.db,
        admins[1]!,
        { orgId: org.id, projectId: projects[1]!.id, emails: [shared], role: "admin" },
        { baseUrl: BASE_URL },
      );
      await waitersOnAdvisoryLocks(1);
      return outcomes;
    });
    expect(first[0]).toMatchObject({ outcome: "invited" });
    expect((await second!)[0]).toMatchObject({ outcome: "already_invited" });
    const [pending] = await database.db
      .select({ n: count() })
      .from(invitations)
      .where(and(eq(invitations.orgId, org.id), eq(invitations.email, shared), eq(invitations.status, "pending")));
    expect(pending?.n).toBe(1);
  });

  it(`the seat limit holds exactly with four admins inviting at once to four projects: ${ROUNDS} rounds`, async () => {
    const results = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owner, admins, projects } = await organization(4);
      // Fill the organization to 7 seats below the limit with pending invitations.
      const [members] = await database.db
        .select({ n: count() })
        .from(organizationMemberships)
        .where(eq(organizationMemberships.orgId, org.id));
      await database.db.execute(sql`
        insert into invitations (org_id, email, org_role, token_hash, invited_by_id, expires_at, last_sent_at)
        select ${org.id}, 'filler-' || g || '@example.test', 'member', md5(random()::text || g || ${org.id}), ${owner.id}, now() + interval '2 days', now()
        from generate_series(1, ${ORG_SEAT_LIMIT - 7 - members!.n}) g`);
      const flat = await eachAdminInvitesThree(org.id, admins, projects, "seat");
      const open = await pendingInvitations(org.id);
      results.push({
        invited: flat.filter((o) => o === "invited").length,
        refused: flat.filter((o) => o === "limit_reached").length,
        seats: open.n + members!.n,
      });
    }
    expect(results).toEqual(results.map(() => ({ invited: 7, refused: 5, seats: ORG_SEAT_LIMIT })));
  });

  it(`the organization's email limit holds exactly with four admins inviting at once: ${ROUNDS} rounds`, async () => {
    const limits = { perRecipient: 5, perInviter: 50, perOrganization: 7, windowMs: 3_600_000 };
    const results = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { org, admins, projects } = await organization(4);
      const flat = await eachAdminInvitesThree(org.id, admins, projects, "flood", { limits });
      const open = await pendingInvitations(org.id);
      results.push({
        invited: flat.filter((o) => o === "invited").length,
        limited: flat.filter((o) => o === "rate_limited").length,
        pending: open.n,
      });
    }
    expect(results).toEqual(results.map(() => ({ invited: 7, limited: 5, pending: 7 })));
  });

  it(`adding a member to a project while an owner removes them from the organization: ${ROUNDS} rounds, never a project member outside the organization, no raw error`, async () => {
    const results = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { org, owner, admins, projects } = await organization(1);
      const [member] = await createUsers(database.db, ["member"]);
      await addOrgMembers(database.db, org.id, [{ user: member!, role: "member" }]);
      const [add, remove] = await Promise.all([
        attempt(() =>
          m.inviteUsers(
            pools[round % 2]!.db,
            admins[0]!,
            { orgId: org.id, projectId: projects[0]!.id, emails: [member!.email], role: "read_only" },
            { baseUrl: BASE_URL },
          ),
        ),
        attempt(() => m.removeOrganizationMember(pools[2 + (round % 2)]!.db, owner, { orgId: org.id, userId: member!.id })),
      ]);
      for (const o of [add, remove]) if (!o.ok) throw new Error(`raw error in a race: ${describeError(o.error)}`);
      const [left] = await database.db.select({ n: count() }).from(projectMemberships).where(eq(projectMemberships.userId, member!.id));
      results.push({ add: add.ok ? add.value[0]!.outcome : "error", projectRows: left!.n });
    }
    // Either the add came first (and the removal took the project access with it), or the removal
    // did (and the former member was invited back instead).
    for (const r of results) expect(["added", "invited"]).toContain(r.add);
    expect(results.map((r) => r.projectRows)).toEqual(results.map(() => 0));
  });
});
