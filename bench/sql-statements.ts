import { eq } from "drizzle-orm";
/**
 * How many SQL statements each membership verb issues, on an in-memory PGlite.
 *
 *     npx tsx --conditions=react-server bench/sql-statements.ts
 *
 * Statements are counted with a Drizzle logger, so BEGIN/COMMIT (issued by the driver itself for
 * a transaction) are not in the count; the "tx" column says whether the verb ran in one.
 */
import { randomUUID } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { openDatabase, type Db } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import * as schema from "@/db/schema";
import * as m from "@/lib/membership";

const BASE_URL = "http://bench.test";

let statements = 0;
let transactions = 0;

interface Seeded {
  orgId: string;
  projectId: string;
  people: Record<"owner" | "admin" | "admin2" | "writer" | "reader" | "member" | "invitee", m.Actor>;
  invitationId: string;
  token: string;
}

/** A fresh organization shaped like the demo seed: owner, two admins, writer, reader, plain member, one pending invitation. */
async function seedOrg(db: Db, now: Date): Promise<Seeded> {
  const tag = randomUUID().slice(0, 8);
  const labels = ["owner", "admin", "admin2", "writer", "reader", "member", "invitee"] as const;
  const people = Object.fromEntries(
    labels.map((l) => [l, { id: randomUUID(), email: `${l}.${tag}@bench.test`, name: `${l} ${tag}` }]),
  ) as Seeded["people"];
  const orgId = randomUUID();
  const projectId = randomUUID();
  await db.insert(schema.users).values(Object.values(people));
  await db.insert(schema.organizations).values({ id: orgId, name: `Bench ${tag}` });
  await db.insert(schema.projects).values({ id: projectId, orgId, name: `Search ${tag}` });
  await db.insert(schema.organizationMemberships).values(
    (["owner", "admin", "admin2", "writer", "reader", "member"] as const).map((l) => ({
      orgId,
      userId: people[l].id,
      role: l === "owner" ? ("owner" as const) : ("member" as const),
    })),
  );
  await db.insert(schema.projectMemberships).values([
    { orgId, projectId, userId: people.admin.id, role: "admin" as const },
    { orgId, projectId, userId: people.admin2.id, role: "admin" as const },
    { orgId, projectId, userId: people.writer.id, role: "read_write" as const },
    { orgId, projectId, userId: people.reader.id, role: "read_only" as const },
  ]);
  const { token, tokenHash } = m.generateInvitationToken();
  const sentAt = new Date(now.getTime() - 10 * 60_000);
  const [invitation] = await db
    .insert(schema.invitations)
    .values({
      orgId,
      email: people.invitee.email,
      tokenHash,
      invitedById: people.admin.id,
      expiresAt: m.invitationExpiry(sentAt),
      lastSentAt: sentAt,
    })
    .returning({ id: schema.invitations.id });
  await db.insert(schema.invitationProjectGrants).values({ invitationId: invitation!.id, orgId, projectId, role: "read_write" });
  return { orgId, projectId, people, invitationId: invitation!.id, token };
}

async function main() {
  const database = openDatabase({ pgliteDir: "memory://" });
  await migrateDatabase(database);
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const counted = drizzle(client, { schema, logger: { logQuery: () => void statements++ } }) as unknown as Db;
  const countedTransaction = counted.transaction.bind(counted);
  (counted as unknown as { transaction: typeof countedTransaction }).transaction = ((fn, config) => {
    transactions++;
    return countedTransaction(fn, config);
  }) as typeof countedTransaction;

  const now = new Date();
  const o = { now, baseUrl: BASE_URL };
  const addresses = (n: number, label: string) =>
    Array.from({ length: n }, (_, i) => `${label}${i}.${randomUUID().slice(0, 6)}@bench.test`);

  const cases: [string, (s: Seeded) => Promise<unknown>][] = [
    [
      "inviteUsers, 1 new address",
      (s) =>
        m.inviteUsers(
          counted,
          s.people.admin,
          { orgId: s.orgId, projectId: s.projectId, emails: addresses(1, "new"), role: "read_only" },
          o,
        ),
    ],
    [
      "inviteUsers, 50 new addresses",
      (s) =>
        m.inviteUsers(
          counted,
          s.people.admin,
          { orgId: s.orgId, projectId: s.projectId, emails: addresses(50, "new"), role: "read_only" },
          o,
        ),
    ],
    [
      "inviteUsers, 50 mixed (1 member added, 1 collaborator, 1 invited already, 47 new)",
      (s) =>
        m.inviteUsers(
          counted,
          s.people.admin,
          {
            orgId: s.orgId,
            projectId: s.projectId,
            emails: [s.people.member.email, s.people.writer.email, s.people.invitee.email, ...addresses(47, "mix")],
            role: "read_only",
          },
          o,
        ),
    ],
    [
      "inviteUsers, 1 existing member (added)",
      (s) =>
        m.inviteUsers(
          counted,
          s.people.admin,
          { orgId: s.orgId, projectId: s.projectId, emails: [s.people.member.email], role: "read_only" },
          o,
        ),
    ],
    [
      "inviteToOrganization, 50 new addresses, 3 project grants",
      async (s) => {
        // Two more projects through the uncounted connection: only the invitation is measured.
        const more = await database.db
          .insert(schema.projects)
          .values([
            { orgId: s.orgId, name: "Bench B" },
            { orgId: s.orgId, name: "Bench C" },
          ])
          .returning({ id: schema.projects.id });
        const projects = [
          { projectId: s.projectId, role: "admin" as const },
          { projectId: more[0]!.id, role: "read_write" as const },
          { projectId: more[1]!.id, role: "read_only" as const },
        ];
        return m.inviteToOrganization(
          counted,
          s.people.owner,
          { orgId: s.orgId, emails: addresses(50, "org"), orgRole: "member", projects },
          o,
        );
      },
    ],
    [
      "inviteToOrganization, 1 new address as Owner",
      (s) => m.inviteToOrganization(counted, s.people.owner, { orgId: s.orgId, emails: addresses(1, "own"), orgRole: "owner" }, o),
    ],
    [
      "copyInvitationLink",
      (s) => m.copyInvitationLink(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId, invitationId: s.invitationId }, o),
    ],
    [
      "changeOrganizationRole (member → owner)",
      (s) => m.changeOrganizationRole(counted, s.people.owner, { orgId: s.orgId, userId: s.people.member.id, role: "owner" }, o),
    ],
    ["leaveOrganization (a member)", (s) => m.leaveOrganization(counted, s.people.writer, { orgId: s.orgId }, o)],
    ["createOrganization", (s) => m.createOrganization(counted, s.people.member, { name: "Bench org" }, o)],
    [
      "deleteProject",
      async (s) => {
        const [project] = await database.db
          .select({ name: schema.projects.name })
          .from(schema.projects)
          .where(eq(schema.projects.id, s.projectId));
        return m.deleteProject(counted, s.people.owner, { orgId: s.orgId, projectId: s.projectId, confirmName: project!.name }, o);
      },
    ],
    [
      "resendInvitation",
      (s) => m.resendInvitation(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId, invitationId: s.invitationId }, o),
    ],
    [
      "revokeInvitation",
      (s) => m.revokeInvitation(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId, invitationId: s.invitationId }, o),
    ],
    ["getInvitationByToken", (s) => m.getInvitationByToken(counted, s.token, s.people.invitee, o)],
    ["acceptInvitation", (s) => m.acceptInvitation(counted, s.people.invitee, { token: s.token }, o)],
    ["declineInvitation", (s) => m.declineInvitation(counted, s.people.invitee, { token: s.token }, o)],
    [
      "changeRole (reader → read_write)",
      (s) =>
        m.changeRole(
          counted,
          s.people.admin,
          { orgId: s.orgId, projectId: s.projectId, userId: s.people.reader.id, role: "read_write" },
          o,
        ),
    ],
    [
      "changeRole (demote an admin)",
      (s) =>
        m.changeRole(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId, userId: s.people.admin2.id, role: "read_only" }, o),
    ],
    [
      "removeCollaborator",
      (s) => m.removeCollaborator(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId, userId: s.people.writer.id }, o),
    ],
    ["leaveProject", (s) => m.leaveProject(counted, s.people.writer, { orgId: s.orgId, projectId: s.projectId }, o)],
    ["listCollaborators", (s) => m.listCollaborators(counted, s.people.reader, { orgId: s.orgId, projectId: s.projectId })],
    ["listPendingInvitations", (s) => m.listPendingInvitations(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId }, o)],
    ["listActivity", (s) => m.listActivity(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId })],
    ["listOrganizationActivity", (s) => m.listOrganizationActivity(counted, s.people.owner, { orgId: s.orgId })],
    [
      "removeOrganizationMember",
      (s) => m.removeOrganizationMember(counted, s.people.owner, { orgId: s.orgId, userId: s.people.writer.id }, o),
    ],
    ["createProject", (s) => m.createProject(counted, s.people.owner, { orgId: s.orgId, name: "Bench project" }, o)],
    ["listOrganizations", (s) => m.listOrganizations(counted, s.people.member)],
    ["listProjects", (s) => m.listProjects(counted, s.people.owner, { orgId: s.orgId })],
    ["getProjectOverview", (s) => m.getProjectOverview(counted, s.people.reader, { orgId: s.orgId, projectId: s.projectId })],
    [
      "refused: changeRole by a Read-Only collaborator",
      (s) =>
        m.changeRole(counted, s.people.reader, { orgId: s.orgId, projectId: s.projectId, userId: s.people.writer.id, role: "admin" }, o),
    ],
    [
      "refused: leaveProject by the last admin",
      async (s) => {
        // Setup through the uncounted connection: only the refused call is measured.
        await m.changeRole(
          database.db,
          s.people.admin,
          { orgId: s.orgId, projectId: s.projectId, userId: s.people.admin2.id, role: "read_only" },
          o,
        );
        return m.leaveProject(counted, s.people.admin, { orgId: s.orgId, projectId: s.projectId }, o);
      },
    ],
  ];

  const rows: { verb: string; statements: number; tx: number; outcome: string; ms: string }[] = [];
  for (const [verb, run] of cases) {
    const seeded = await seedOrg(database.db, now);
    statements = 0;
    transactions = 0;
    const started = performance.now();
    let outcome = "ok";
    try {
      await run(seeded);
    } catch (err) {
      outcome = err instanceof m.DomainError ? err.code : `raw error: ${(err as Error).message}`;
    }
    rows.push({ verb, statements, tx: transactions, outcome, ms: (performance.now() - started).toFixed(1) });
  }
  console.log("SQL statements per membership verb (PGlite in memory; BEGIN/COMMIT not counted):");
  console.table(rows);
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
