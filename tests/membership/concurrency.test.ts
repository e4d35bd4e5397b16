import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database, type Db } from "@/db/client";
import { activity, emailOutbox, invitations, organizationMemberships, projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import {
  BASE_URL,
  addCollaborators,
  addOrgMembers,
  adminCount,
  attempt,
  createOrganization,
  createProjectRow,
  createUser,
  createUsers,
  describeError,
  freshTag,
  latestInvitationEmail,
  type Outcome,
  type TestActor,
} from "./fixtures";

/**
 * The invariants under simultaneous requests (docs/product-rules.md, "Invariants"). They only mean something
 * on the Postgres server with several connections: PGlite runs one transaction at a time.
 */

const ROUNDS_PER_ADMIN_SCENARIO = 70;
const ROUNDS_PER_OTHER_SCENARIO = 40;
const ROUNDS_PER_OWNER_SCENARIO = 60;
/** Rounds run side by side (each on its own project), so the server sees many racing pairs at once. */
const BATCH = 5;

type Code = "ok" | m.DomainErrorCode | "raw error";
const codeOf = (o: Outcome<unknown>): Code => (o.ok ? "ok" : o.error instanceof m.DomainError ? o.error.code : "raw error");

function tallyOf(codes: Code[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const c of codes) t[c] = (t[c] ?? 0) + 1;
  return t;
}

describe("PGlite and concurrency", () => {
  // Why the race suite is server-only: this is a property of PGlite, checked, not assumed.
  it("runs transactions strictly one after another, so races cannot happen there", async () => {
    // No schema needed: an unmigrated in-memory database is enough to watch transactions interleave (or not).
    const database = openDatabase({ pgliteDir: "memory://" });
    try {
      const events: string[] = [];
      const body = (name: string) => async (tx: unknown) => {
        events.push(`${name}:begin`);
        await (tx as Db).execute(sql`select pg_backend_pid()`);
        await (tx as Db).execute(sql`select 1`);
        events.push(`${name}:end`);
      };
      await Promise.all([database.db.transaction(body("a")), database.db.transaction(body("b")), database.db.transaction(body("c"))]);
      expect(events).toEqual(["a:begin", "a:end", "b:begin", "b:end", "c:begin", "c:end"]);
    } finally {
      await database.close();
    }
  });
});

describe.each(testTargets().filter((k) => k === "postgres"))("concurrent membership changes on %s", (kind) => {
  const database = useTestDatabase(kind, { max: 4 });
  let poolA: Database;
  let poolB: Database;
  const report: string[] = [];

  beforeAll(async () => {
    poolA = database.connectAgain(BATCH + 1);
    poolB = database.connectAgain(BATCH + 1);
  });
  afterAll(async () => {
    if (report.length > 0) console.log(`[concurrency] ${kind}\n  ${report.join("\n  ")}`);
  });

  /** Proves the two pools really are separate connections running at the same time. */
  it("uses independent connections", async () => {
    const pid = async (d: Database) =>
      ((await d.db.execute(sql`select pg_backend_pid() as pid`)) as unknown as { rows: { pid: number }[] }).rows[0]!.pid;
    const [a, b] = await Promise.all([pid(poolA), pid(poolB)]);
    expect(a).not.toBe(b);
  });

  /** The counterpart of the PGlite check: on the server two transactions are open at the same moment. */
  it("runs transactions side by side (both reach a barrier inside their transactions)", async () => {
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    const body = async (tx: unknown) => {
      await (tx as Db).execute(sql`select 1`);
      if (++arrived === 2) release();
      await barrier; // Would never resolve if the second transaction could not start before the first ended.
      return (await (tx as Db).execute(sql`select txid_current() as id`)) as unknown as { rows: { id: string }[] };
    };
    const [x, y] = await Promise.all([poolA.db.transaction(body), poolB.db.transaction(body)]);
    expect(x.rows[0]!.id).not.toBe(y.rows[0]!.id);
  });

  async function runRounds<T>(rounds: number, round: (i: number) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (let start = 0; start < rounds; start += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, rounds - start) }, (_, k) => round(start + k));
      results.push(...(await Promise.all(batch)));
    }
    return results;
  }

  describe("two Project Admins racing (never zero admins)", () => {
    let org: { id: string; name: string };
    let a: TestActor;
    let b: TestActor;
    beforeAll(async () => {
      org = await createOrganization(database.db);
      const [owner, adminA, adminB] = await createUsers(database.db, ["owner", "admina", "adminb"]);
      a = adminA!;
      b = adminB!;
      await addOrgMembers(database.db, org.id, [
        { user: owner!, role: "owner" },
        { user: a, role: "member" },
        { user: b, role: "member" },
      ]);
    });

    type Pair = (ids: { orgId: string; projectId: string }) => [Promise<unknown>, Promise<unknown>];
    const scenarios: { name: string; pair: Pair; loser: m.DomainErrorCode; why: string }[] = [
      {
        name: "demote each other",
        pair: (ids) => [
          m.changeRole(poolA.db, a, { ...ids, userId: b.id, role: "read_only" }),
          m.changeRole(poolB.db, b, { ...ids, userId: a.id, role: "read_only" }),
        ],
        loser: "FORBIDDEN",
        why: "the second runs after the first committed, and is no longer an admin",
      },
      {
        name: "both demote themselves",
        pair: (ids) => [
          m.changeRole(poolA.db, a, { ...ids, userId: a.id, role: "read_write" }),
          m.changeRole(poolB.db, b, { ...ids, userId: b.id, role: "read_write" }),
        ],
        loser: "LAST_ADMIN",
        why: "the second would leave no admin",
      },
      {
        name: "remove each other",
        pair: (ids) => [
          m.removeCollaborator(poolA.db, a, { ...ids, userId: b.id }),
          m.removeCollaborator(poolB.db, b, { ...ids, userId: a.id }),
        ],
        loser: "NOT_FOUND",
        why: "the second is no longer a collaborator, so the project is hidden from them",
      },
      {
        name: "both leave",
        pair: (ids) => [m.leaveProject(poolA.db, a, ids), m.leaveProject(poolB.db, b, ids)],
        loser: "LAST_ADMIN",
        why: "the second is the last admin",
      },
    ];

    for (const scenario of scenarios) {
      it(`${scenario.name}: ${ROUNDS_PER_ADMIN_SCENARIO} rounds, each exactly one success and one ${scenario.loser}`, async () => {
        const started = Date.now();
        const rounds = await runRounds(ROUNDS_PER_ADMIN_SCENARIO, async () => {
          const project = await createProjectRow(database.db, org.id);
          const ids = { orgId: org.id, projectId: project.id };
          await addCollaborators(database.db, ids, [
            { user: a, role: "admin" },
            { user: b, role: "admin" },
          ]);
          const [first, second] = scenario.pair(ids);
          const outcomes = await Promise.all([attempt(() => first), attempt(() => second)]);
          const [logged] = await database.db.select({ n: count() }).from(activity).where(eq(activity.projectId, project.id));
          return {
            codes: outcomes.map(codeOf),
            raw: outcomes.filter((o) => !o.ok && !(o.error instanceof m.DomainError)),
            admins: await adminCount(database.db, project.id),
            logged: logged?.n ?? 0,
          };
        });

        const codes = rounds.flatMap((r) => r.codes);
        const tally = tallyOf(codes);
        report.push(
          `${scenario.name}: ${rounds.length} rounds × 2 simultaneous requests → ${JSON.stringify(tally)}; ` +
            `admins left per project: ${JSON.stringify(tallyOf(rounds.map((r) => String(r.admins) as Code)))} (${Date.now() - started} ms)`,
        );
        for (const r of rounds) for (const e of r.raw) throw new Error(`raw error in a race: ${describeError(e.ok ? null : e.error)}`);
        expect(
          rounds.every((r) => r.admins >= 1),
          "never zero admins",
        ).toBe(true);
        expect(rounds.every((r) => r.admins === 1)).toBe(true);
        expect(
          rounds.every((r) => [...r.codes].sort().join() === ["ok", scenario.loser].sort().join()),
          scenario.why,
        ).toBe(true);
        expect(tally).toEqual({ ok: ROUNDS_PER_ADMIN_SCENARIO, [scenario.loser]: ROUNDS_PER_ADMIN_SCENARIO });
        // Exactly the winner's change was recorded.
        expect(rounds.every((r) => r.logged === 1)).toBe(true);
      });
    }
  });

  it(`the same invitation accepted twice at once: ${ROUNDS_PER_OTHER_SCENARIO} rounds, one organization and one project membership each`, async () => {
    const started = Date.now();
    const org = await createOrganization(database.db);
    const owner = await createUser(database.db, "owner");
    await addOrgMembers(database.db, org.id, [{ user: owner, role: "owner" }]);
    const project = await createProjectRow(database.db, org.id);
    await addCollaborators(database.db, { orgId: org.id, projectId: project.id }, [{ user: owner, role: "admin" }]);

    const rounds = await runRounds(ROUNDS_PER_OTHER_SCENARIO, async () => {
      const invitee = await createUser(database.db, "invitee", freshTag());
      await m.inviteUsers(
        database.db,
        owner,
        { orgId: org.id, projectId: project.id, emails: [invitee.email], role: "read_write" },
        { baseUrl: BASE_URL },
      );
      const { token } = await latestInvitationEmail(database.db, invitee.email);
      const outcomes = await Promise.all([
        attempt(() => m.acceptInvitation(poolA.db, invitee, { token })),
        attempt(() => m.acceptInvitation(poolB.db, invitee, { token })),
      ]);
      const [orgRows] = await database.db
        .select({ n: count() })
        .from(organizationMemberships)
        .where(and(eq(organizationMemberships.orgId, org.id), eq(organizationMemberships.userId, invitee.id)));
      const [projectRows] = await database.db
        .select({ n: count() })
        .from(projectMemberships)
        .where(and(eq(projectMemberships.projectId, project.id), eq(projectMemberships.userId, invitee.id)));
      const [accepted] = await database.db
        .select({ n: count() })
        .from(activity)
        .where(and(eq(activity.projectId, project.id), eq(activity.action, "invitation.accepted"), eq(activity.targetUserId, invitee.id)));
      return { codes: outcomes.map(codeOf), orgRows: orgRows?.n, projectRows: projectRows?.n, accepted: accepted?.n };
    });
    const tally = tallyOf(rounds.flatMap((r) => r.codes));
    report.push(
      `accept twice at once: ${rounds.length} rounds → ${JSON.stringify(tally)}; ` +
        `memberships per invitee always 1+1: ${rounds.every((r) => r.orgRows === 1 && r.projectRows === 1)} (${Date.now() - started} ms)`,
    );
    expect(tally).toEqual({ ok: 2 * ROUNDS_PER_OTHER_SCENARIO });
    expect(rounds.map((r) => [r.orgRows, r.projectRows, r.accepted])).toEqual(rounds.map(() => [1, 1, 1]));
  });

  it(`the same address invited twice at once in different case: ${ROUNDS_PER_OTHER_SCENARIO} rounds, one pending invitation each`, async () => {
    const started = Date.now();
    const org = await createOrganization(database.db);
    const [owner, admin] = await createUsers(database.db, ["owner", "admin"]);
    await addOrgMembers(database.db, org.id, [
      { user: owner!, role: "owner" },
      { user: admin!, role: "member" },
    ]);
    const p1 = await createProjectRow(database.db, org.id);
    const p2 = await createProjectRow(database.db, org.id);
    for (const p of [p1, p2]) await addCollaborators(database.db, { orgId: org.id, projectId: p.id }, [{ user: admin!, role: "admin" }]);

    const rounds = await runRounds(ROUNDS_PER_OTHER_SCENARIO, async (i) => {
      const email = `Racer.${freshTag()}@Example.test`;
      // Even rounds: the same project; odd rounds: two projects of the same organization.
      const second = i % 2 === 0 ? p1 : p2;
      const outcomes = await Promise.all([
        attempt(() =>
          m.inviteUsers(
            poolA.db,
            owner!,
            { orgId: org.id, projectId: p1.id, emails: [email.toUpperCase()], role: "read_only" },
            { baseUrl: BASE_URL },
          ),
        ),
        attempt(() =>
          m.inviteUsers(
            poolB.db,
            admin!,
            { orgId: org.id, projectId: second.id, emails: [` ${email.toLowerCase()} `], role: "admin" },
            { baseUrl: BASE_URL },
          ),
        ),
      ]);
      const normalized = email.toLowerCase();
      const [pending] = await database.db
        .select({ n: count() })
        .from(invitations)
        .where(and(eq(invitations.orgId, org.id), eq(invitations.email, normalized), eq(invitations.status, "pending")));
      const [mails] = await database.db.select({ n: count() }).from(emailOutbox).where(eq(emailOutbox.to, normalized));
      const perAddress = outcomes.map((o) => (o.ok ? (o.value[0]?.outcome ?? "none") : codeOf(o)));
      return { perAddress, pending: pending?.n, mails: mails?.n };
    });
    const tally = tallyOf(rounds.flatMap((r) => r.perAddress as Code[]));
    report.push(
      `invite one address twice at once (different case): ${rounds.length} rounds → ${JSON.stringify(tally)} (${Date.now() - started} ms)`,
    );
    expect(rounds.map((r) => [r.pending, r.mails])).toEqual(rounds.map(() => [1, 1]));
    expect(rounds.every((r) => [...r.perAddress].sort().join() === "already_invited,invited")).toBe(true);
  });

  it(`two Organization Owners removing each other (or themselves) at once: ${ROUNDS_PER_OTHER_SCENARIO} rounds, an owner always remains`, async () => {
    const started = Date.now();
    const rounds = await runRounds(ROUNDS_PER_OTHER_SCENARIO, async (i) => {
      const org = await createOrganization(database.db);
      const [o1, o2, admin] = await createUsers(database.db, ["ownera", "ownerb", "admin"]);
      await addOrgMembers(database.db, org.id, [
        { user: o1!, role: "owner" },
        { user: o2!, role: "owner" },
        { user: admin!, role: "member" },
      ]);
      const project = await createProjectRow(database.db, org.id);
      await addCollaborators(database.db, { orgId: org.id, projectId: project.id }, [{ user: admin!, role: "admin" }]);
      // Even rounds: each removes the other; odd rounds: each removes themself.
      const each = i % 2 === 0;
      const outcomes = await Promise.all([
        attempt(() => m.removeOrganizationMember(poolA.db, o1!, { orgId: org.id, userId: each ? o2!.id : o1!.id })),
        attempt(() => m.removeOrganizationMember(poolB.db, o2!, { orgId: org.id, userId: each ? o1!.id : o2!.id })),
      ]);
      const [owners] = await database.db
        .select({ n: count() })
        .from(organizationMemberships)
        .where(and(eq(organizationMemberships.orgId, org.id), eq(organizationMemberships.role, "owner")));
      return { each, codes: outcomes.map(codeOf), owners: owners?.n ?? 0 };
    });
    const eachOther = rounds.filter((r) => r.each);
    const themselves = rounds.filter((r) => !r.each);
    report.push(
      `owners removing each other: ${eachOther.length} rounds → ${JSON.stringify(tallyOf(eachOther.flatMap((r) => r.codes)))}; ` +
        `owners removing themselves: ${themselves.length} rounds → ${JSON.stringify(tallyOf(themselves.flatMap((r) => r.codes)))}; ` +
        `owners left: ${JSON.stringify(tallyOf(rounds.map((r) => String(r.owners) as Code)))} (${Date.now() - started} ms)`,
    );
    expect(
      rounds.every((r) => r.owners === 1),
      "exactly one owner remains",
    ).toBe(true);
    expect(eachOther.every((r) => [...r.codes].sort().join() === "NOT_FOUND,ok")).toBe(true);
    expect(themselves.every((r) => [...r.codes].sort().join() === "LAST_OWNER,ok")).toBe(true);
  });

  describe("two Organization Owners racing (never zero owners)", () => {
    type Pair = (org: string, a: TestActor, b: TestActor) => [Promise<unknown>, Promise<unknown>];
    const scenarios: { name: string; pair: Pair; loser: m.DomainErrorCode; why: string }[] = [
      {
        name: "demote each other",
        pair: (orgId, a, b) => [
          m.changeOrganizationRole(poolA.db, a, { orgId, userId: b.id, role: "member" }),
          m.changeOrganizationRole(poolB.db, b, { orgId, userId: a.id, role: "member" }),
        ],
        loser: "FORBIDDEN",
        why: "the second runs after the first committed, and is no longer an owner",
      },
      {
        name: "both demote themselves",
        pair: (orgId, a, b) => [
          m.changeOrganizationRole(poolA.db, a, { orgId, userId: a.id, role: "member" }),
          m.changeOrganizationRole(poolB.db, b, { orgId, userId: b.id, role: "member" }),
        ],
        loser: "LAST_OWNER",
        why: "the second would leave no owner",
      },
      {
        name: "remove each other",
        pair: (orgId, a, b) => [
          m.removeOrganizationMember(poolA.db, a, { orgId, userId: b.id }),
          m.removeOrganizationMember(poolB.db, b, { orgId, userId: a.id }),
        ],
        loser: "NOT_FOUND",
        why: "the second is no longer in the organization, so it is hidden from them",
      },
      {
        name: "both leave",
        pair: (orgId, a, b) => [m.leaveOrganization(poolA.db, a, { orgId }), m.leaveOrganization(poolB.db, b, { orgId })],
        loser: "LAST_OWNER",
        why: "the second is the last owner",
      },
    ];

    for (const scenario of scenarios) {
      it(`${scenario.name}: ${ROUNDS_PER_OWNER_SCENARIO} rounds, each exactly one success and one ${scenario.loser}`, async () => {
        const started = Date.now();
        const rounds = await runRounds(ROUNDS_PER_OWNER_SCENARIO, async () => {
          const org = await createOrganization(database.db);
          const [a, b] = await createUsers(database.db, ["ownera", "ownerb"]);
          await addOrgMembers(database.db, org.id, [
            { user: a!, role: "owner" },
            { user: b!, role: "owner" },
          ]);
          const [first, second] = scenario.pair(org.id, a!, b!);
          const outcomes = await Promise.all([attempt(() => first), attempt(() => second)]);
          const [owners] = await database.db
            .select({ n: count() })
            .from(organizationMemberships)
            .where(and(eq(organizationMemberships.orgId, org.id), eq(organizationMemberships.role, "owner")));
          const [logged] = await database.db.select({ n: count() }).from(activity).where(eq(activity.orgId, org.id));
          return {
            codes: outcomes.map(codeOf),
            raw: outcomes.filter((o) => !o.ok && !(o.error instanceof m.DomainError)),
            owners: owners?.n ?? 0,
            logged: logged?.n ?? 0,
          };
        });
        const tally = tallyOf(rounds.flatMap((r) => r.codes));
        report.push(
          `owners ${scenario.name}: ${rounds.length} rounds × 2 simultaneous requests → ${JSON.stringify(tally)}; ` +
            `owners left per organization: ${JSON.stringify(tallyOf(rounds.map((r) => String(r.owners) as Code)))} (${Date.now() - started} ms)`,
        );
        for (const r of rounds) for (const e of r.raw) throw new Error(`raw error in a race: ${describeError(e.ok ? null : e.error)}`);
        expect(
          rounds.every((r) => r.owners >= 1),
          "never zero owners",
        ).toBe(true);
        expect(rounds.every((r) => r.owners === 1)).toBe(true);
        expect(
          rounds.every((r) => [...r.codes].sort().join() === ["ok", scenario.loser].sort().join()),
          scenario.why,
        ).toBe(true);
        expect(tally).toEqual({ ok: ROUNDS_PER_OWNER_SCENARIO, [scenario.loser]: ROUNDS_PER_OWNER_SCENARIO });
        expect(rounds.every((r) => r.logged === 1)).toBe(true);
      });
    }
  });
});
