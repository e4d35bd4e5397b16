/**
 * How the project lists behave at thousands of members: loads one project with N collaborators
 * (default 5000) and 900 pending invitations, then times pages of each list (median of runs).
 * Usage: npx tsx --conditions=react-server bench/list-speed.ts [N]   (DATABASE_URL set: a fresh database on that server)
 */
import { randomUUID } from "node:crypto";
import { openDatabase, type Database } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { createScratchDatabase, sampleMs } from "./scratch-database";
import { invitations, organizationMemberships, organizations, projectMemberships, projects, users } from "@/db/schema";
import { listActivity, listCollaborators, listPendingInvitations, inviteUsers } from "@/lib/membership";

const n = Number(process.argv[2] ?? 5000);
const server = process.env.DATABASE_URL;
let database: Database;
let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
if (server) {
  scratch = await createScratchDatabase(server, "mc_bench");
  database = openDatabase({ url: scratch.url });
} else {
  database = openDatabase({ pgliteDir: "memory://" });
}
await migrateDatabase(database);
const db = database.db;

const orgId = randomUUID();
const projectId = randomUUID();
await db.insert(organizations).values({ id: orgId, name: "Bench Org" });
await db.insert(projects).values({ id: projectId, orgId, name: "Bench Project" });
const people = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), email: `person${i}@bench.test`, name: `Person ${i}` }));
for (let i = 0; i < people.length; i += 1000) {
  const batch = people.slice(i, i + 1000);
  await db.insert(users).values(batch);
  await db
    .insert(organizationMemberships)
    .values(batch.map((p, j) => ({ orgId, userId: p.id, role: i + j === 0 ? ("owner" as const) : ("member" as const) })));
  await db
    .insert(projectMemberships)
    .values(batch.map((p, j) => ({ orgId, projectId, userId: p.id, role: i + j < 3 ? ("admin" as const) : ("read_only" as const) })));
}
const now = new Date();
await db.insert(invitations).values(
  Array.from({ length: 900 }, (_, i) => ({
    orgId,
    projectId,
    email: `invitee${i}@bench.test`,
    role: "read_only" as const,
    tokenHash: randomUUID(),
    status: "pending" as const,
    expiresAt: new Date(now.getTime() + 3_600_000),
    lastSentAt: now,
  })),
);
const actor = { id: people[0]!.id, email: people[0]!.email, name: people[0]!.name };

async function time(label: string, fn: () => Promise<unknown>, runs = 15) {
  await fn(); // warm: the first call pays for plans and cold pages, which is not what a page costs
  const samples = await sampleMs(runs, fn);
  console.log(
    `${label.padEnd(48)} median ${samples[Math.floor(runs / 2)]!.toFixed(1).padStart(6)} ms   max ${samples[runs - 1]!.toFixed(1).padStart(6)} ms`,
  );
}

console.log(`${database.kind}: ${n} collaborators, 900 invitations in the project`);
const ids = { orgId, projectId };
await time("listCollaborators page 1", () => listCollaborators(db, actor, { ...ids }));
// The last page's cursor, found by walking the list once (keyset paging has no page numbers).
let lastCursor: string | undefined;
for (
  let page = await listCollaborators(db, actor, ids);
  page.next;
  page = await listCollaborators(db, actor, { ...ids, cursor: page.next })
)
  lastCursor = page.next;
await time(`listCollaborators page ${Math.ceil(n / 50)} (last)`, () => listCollaborators(db, actor, { ...ids, cursor: lastCursor }));
await time("listPendingInvitations page 1", () => listPendingInvitations(db, actor, { ...ids }));
await time("listActivity page 1", () => listActivity(db, actor, { ...ids }));
await time(
  "inviteUsers, 1 address already a collaborator",
  () => inviteUsers(db, actor, { ...ids, emails: ["person10@bench.test"], role: "read_only" }),
  5,
);
await database.close();
await scratch?.drop();
