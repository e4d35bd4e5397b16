import { and, count, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invitations, organizationMemberships, scimUsers, users } from "@/db/schema";
import * as m from "@/lib/membership";
import { ORG_SEAT_LIMIT } from "@/lib/membership/invitations/invitation-rules";
import { seatUsage } from "@/lib/membership/invitations/issue-invitations";
import { testTargets, useTestDatabase } from "../db";
import {
  addCollaborators,
  addOrgMembers,
  attempt,
  createOrganization,
  createProjectRow,
  createUsers,
  freshTag,
} from "../membership/fixtures";
import { scim } from "./helpers";

/**
 * An identity provider pushing 200 people (8 requests in flight, some twice, some then
 * deactivated) while an Organization Owner changes roles in the console. Only meaningful on the
 * Postgres server with several connections (PGlite runs one transaction at a time).
 */

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const IN_FLIGHT = 8;
const NEW_PEOPLE = 200;
const FREE_SEATS = 150;

/** Runs the tasks with at most `limit` at once; resolves when all are done. */
async function inFlight<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe.each(testTargets().filter((k) => k === "postgres"))("SCIM provisioning under concurrency on %s", (kind) => {
  const database = useTestDatabase(kind);

  it("200 people with 8 requests in flight while the Owner changes roles: no duplicate, exact seats, an Owner and admins always", async () => {
    const db = database.db;
    const tag = freshTag();
    const org = await createOrganization(db);
    const p = await createProjectRow(db, org.id, "P");
    const q = await createProjectRow(db, org.id, "Q");
    const [owner, a1, a2, a3] = await createUsers(db, ["owner", "a1", "a2", "a3"], tag);
    await addOrgMembers(db, org.id, [
      { user: owner!, role: "owner" },
      { user: a1!, role: "member" },
      { user: a2!, role: "member" },
      { user: a3!, role: "member" },
    ]);
    await addCollaborators(db, { orgId: org.id, projectId: p.id }, [
      { user: a1!, role: "admin" },
      { user: a2!, role: "admin" },
    ]);
    await addCollaborators(db, { orgId: org.id, projectId: q.id }, [{ user: a3!, role: "admin" }]);
    // Every seat but FREE_SEATS taken by pending invitations.
    const { used } = await seatUsage(db, org.id);
    await db.insert(invitations).values(
      Array.from({ length: ORG_SEAT_LIMIT - used - FREE_SEATS }, (_, i) => ({
        orgId: org.id,
        email: `seat${i}.${tag}@fill.example.test`,
        tokenHash: `fill-${tag}-${i}`,
        expiresAt: new Date(Date.now() + 86_400_000),
        lastSentAt: new Date(),
      })),
    );
    const { token } = await m.createScimToken(db, owner!, { orgId: org.id, name: "IdP" });

    const idp = database.connectAgain(IN_FLIGHT + 2).db;
    const console_ = database.connectAgain(4).db;
    const fresh = Array.from({ length: NEW_PEOPLE }, (_, i) => `person${i}.${tag}@hooli.example.test`);
    const existing = [owner!, a1!, a2!, a3!].map((u) => u.email);
    const post = (email: string, userName = email) =>
      scim(idp, token, "POST", `${org.id}/Users`, { schemas: [USER], userName, emails: [{ value: email, primary: true }] });
    const idOf = async (email: string) =>
      (
        await db
          .select({ id: scimUsers.userId })
          .from(scimUsers)
          .where(sql`lower(${scimUsers.userName}) = lower(${email})`)
      )[0]?.id;
    const deactivate = async (email: string) => {
      const id = await idOf(email);
      if (!id) return { status: 404, body: null };
      return scim(idp, token, "PATCH", `${org.id}/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", path: "active", value: false }],
      });
    };

    // The IdP: every new person (the first 20 sent twice, the second time in capitals), the four
    // existing people, and deactivations of the existing people and of 20 new ones.
    const tasks: (() => Promise<{ kind: string; email: string; status: number; detail?: string }>)[] = [];
    const tagged = (kindOf: string, email: string, p: Promise<{ status: number; body: { detail?: string } | null }>) =>
      p.then((r) => ({ kind: kindOf, email, status: r.status, detail: r.body?.detail }));
    for (const [i, email] of fresh.entries()) {
      tasks.push(() => tagged("post", email, post(email)));
      if (i < 20) tasks.push(() => tagged("repeat", email, post(email, email.toUpperCase())));
      if (i % 50 === 0) for (const e of existing) tasks.push(() => tagged("post-existing", e, post(e)));
      // Deactivations in the middle: the seats they free are taken again by the people pushed after them.
      if (i === 130) {
        for (const e of existing) tasks.push(() => tagged("deactivate-existing", e, deactivate(e)));
        for (const email of fresh.slice(100, 120)) tasks.push(() => tagged("deactivate", email, deactivate(email)));
      }
    }

    // The Owner, meanwhile: demotes and promotes the admins of P, makes a1 an Owner and back.
    let idpDone = false;
    const consoleOutcomes: string[] = [];
    const ownerLoop = (async () => {
      const flips: (() => Promise<unknown>)[] = [
        () => m.changeRole(console_, owner!, { orgId: org.id, projectId: p.id, userId: a1!.id, role: "read_only" }),
        () => m.changeRole(console_, owner!, { orgId: org.id, projectId: p.id, userId: a1!.id, role: "admin" }),
        () => m.changeRole(console_, owner!, { orgId: org.id, projectId: p.id, userId: a2!.id, role: "read_write" }),
        () => m.changeRole(console_, owner!, { orgId: org.id, projectId: p.id, userId: a2!.id, role: "admin" }),
        () => m.changeOrganizationRole(console_, owner!, { orgId: org.id, userId: a1!.id, role: "owner" }),
        () => m.changeOrganizationRole(console_, owner!, { orgId: org.id, userId: a1!.id, role: "member" }),
      ];
      for (let i = 0; !idpDone || i < 12; i++) {
        const o = await attempt(flips[i % flips.length]!);
        consoleOutcomes.push(o.ok ? "ok" : o.error instanceof m.DomainError ? o.error.code : `raw ${String(o.error)}`);
      }
    })();
    // A watcher reads the invariants over and over while both run.
    const violations: string[] = [];
    const watcher = (async () => {
      while (!idpDone) {
        const [row] = (
          (await console_.execute(sql`select
            (select count(*) from organization_memberships where org_id = ${org.id} and role = 'owner')::int as owners,
            (select count(*) from projects pr where pr.org_id = ${org.id} and not exists
               (select 1 from project_memberships pm where pm.project_id = pr.id and pm.role = 'admin'))::int as adminless,
            ((select count(*) from organization_memberships where org_id = ${org.id})
              + (select count(*) from invitations where org_id = ${org.id} and status = 'pending'))::int as seats`)) as unknown as {
            rows: unknown[];
          }
        ).rows as { owners: number; adminless: number; seats: number }[];
        if (row!.owners < 1) violations.push("an organization without an Owner");
        if (row!.adminless > 0) violations.push("a project without an admin");
        if (row!.seats > ORG_SEAT_LIMIT) violations.push(`${row!.seats} seats used`);
      }
    })();

    const results = await inFlight(tasks, IN_FLIGHT);
    idpDone = true;
    await Promise.all([ownerLoop, watcher]);

    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    expect(consoleOutcomes.filter((c) => c.startsWith("raw"))).toEqual([]);
    expect(violations).toEqual([]);

    // No duplicate: one account per address, one SCIM user per userName, every repeat refused as a duplicate or a full organization.
    const accounts = await db
      .select({ n: count() })
      .from(users)
      .where(sql`${users.email} like ${`%.${tag}@hooli.example.test`}`);
    const created = results.filter((r) => r.kind === "post" || r.kind === "repeat");
    const createdOk = created.filter((r) => r.status === 201);
    expect(new Set(createdOk.map((r) => r.email)).size).toBe(createdOk.length);
    for (const r of created.filter((r) => r.status !== 201)) expect(r.status, JSON.stringify(r)).toBe(409);
    const scimRows = await db.select({ n: count() }).from(scimUsers).where(eq(scimUsers.orgId, org.id));
    expect(scimRows[0]!.n).toBe(createdOk.length + existing.length);
    expect(accounts[0]!.n).toBeLessThanOrEqual(NEW_PEOPLE);

    // Seats exact: more people were pushed than there were seats, so the organization is full, never over.
    const after = await seatUsage(db, org.id);
    expect(after.used).toBe(ORG_SEAT_LIMIT);
    const refusedForSeats = created.filter((r) => r.status === 409 && r.detail?.includes("seats"));
    expect(refusedForSeats.length).toBeGreaterThan(0);

    // Never without an Owner or an admin at the end either; a3 (the only admin of Q) is still there.
    const [owners] = await db
      .select({ n: count() })
      .from(organizationMemberships)
      .where(and(eq(organizationMemberships.orgId, org.id), eq(organizationMemberships.role, "owner")));
    expect(owners!.n).toBeGreaterThanOrEqual(1);
    const a3Deactivation = results.find((r) => r.kind === "deactivate-existing" && r.email === a3!.email)!;
    expect(a3Deactivation.status).toBe(409);
    expect(a3Deactivation.detail).toContain("only Project Admin of Q");
    const [stillAdmin] = await db
      .select({ n: count() })
      .from(organizationMemberships)
      .where(and(eq(organizationMemberships.orgId, org.id), eq(organizationMemberships.userId, a3!.id)));
    expect(stillAdmin!.n).toBe(1);
  }, 240_000);
});
