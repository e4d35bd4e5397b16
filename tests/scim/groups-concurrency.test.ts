import { and, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { projectMemberships } from "@/db/schema";
import * as m from "@/lib/membership";
import { higherRole } from "@/lib/membership/scim/group-roles";
import { useTestDatabase } from "../db";
import { attempt, buildWorld, describeError, type World } from "../membership/fixtures";
import { GROUP, membershipRoles, patchBody, seedScimUsers } from "./group-helpers";
import { scim } from "./helpers";

/**
 * SCIM group PATCHes and an Owner's console changes (direct roles, mappings) at the same time, on
 * the Postgres server with 8 requests in flight: every project keeps a Project Admin at every
 * moment, no update is lost (each person's role is exactly what the last accepted change of each
 * source says), and the only refusals are the last-admin ones.
 */
const SCIM_LANES = 6;
const PEOPLE_PER_LANE = 3;
const ROUNDS = 14;

type Role = m.ProjectRole;

describe("SCIM groups under concurrency on postgres", () => {
  const database = useTestDatabase("postgres", { max: 12 });
  let w: World;
  let token: string;
  let groups: { admins: string; writers: string };
  let lanes: { id: string; email: string }[][];

  beforeAll(async () => {
    w = await buildWorld(database.db);
    token = (await m.createScimToken(database.db, w.actors.owner, { orgId: w.org.id, name: "race" })).token;
    const people = await seedScimUsers(database.db, w.org.id, SCIM_LANES * PEOPLE_PER_LANE);
    lanes = Array.from({ length: SCIM_LANES }, (_, i) => people.slice(i * PEOPLE_PER_LANE, (i + 1) * PEOPLE_PER_LANE));
    const make = async (displayName: string) =>
      (await scim(database.db, token, "POST", `${w.org.id}/Groups`, { schemas: [GROUP], displayName })).body.id as string;
    groups = { admins: await make("search-admins"), writers: await make("search-writers") };
    await m.mapScimGroup(database.db, w.actors.owner, { orgId: w.org.id, groupId: groups.admins, projectId: w.project.id, role: "admin" });
    await m.mapScimGroup(database.db, w.actors.owner, {
      orgId: w.org.id,
      groupId: groups.writers,
      projectId: w.project.id,
      role: "read_write",
    });
  });

  it("group membership PATCHes, console role changes and mapping changes in parallel: an admin always, no lost update", async () => {
    const pool = database.connectAgain(10);
    const db = pool.db;
    const codes: string[] = [];
    const record = (o: Awaited<ReturnType<typeof attempt>>) => {
      codes.push(o.ok ? "ok" : o.error instanceof m.DomainError ? o.error.code : `raw ${describeError(o.error)}`);
      return o.ok;
    };
    // What each lane last got accepted: the expected final state.
    const inGroup = new Map<string, Set<string>>([
      [groups.admins, new Set()],
      [groups.writers, new Set()],
    ]);
    const direct = new Map<string, Role>([
      [w.actors.admin.id, "admin"],
      [w.admin2.id, "admin"],
    ]);
    let sideMapping: Role | null = null;

    const scimLane = async (lane: number) => {
      const mine = lanes[lane]!;
      for (let round = 0; round < ROUNDS; round++) {
        const person = mine[(round + lane) % mine.length]!;
        const group = (round + lane) % 3 === 0 ? groups.writers : groups.admins;
        const adding = !inGroup.get(group)!.has(person.id);
        const entra = round % 2 === 0;
        const body = adding
          ? patchBody({ op: entra ? "Add" : "add", path: "members", value: [{ value: person.id }] })
          : entra
            ? patchBody({ op: "Remove", path: "members", value: [{ value: person.id }] })
            : patchBody({ op: "remove", path: `members[value eq "${person.id}"]` });
        const r = await scim(db, token, "PATCH", `${w.org.id}/Groups/${group}`, body);
        if (r.status === 204) {
          if (adding) inGroup.get(group)!.add(person.id);
          else inGroup.get(group)!.delete(person.id);
          codes.push("ok");
        } else {
          expect(r.status, JSON.stringify(r.body)).toBe(409);
          codes.push(`scim ${r.status}`);
        }
      }
    };
    const consoleLane = async () => {
      const plan: [string, Role][] = [];
      for (let round = 0; round < ROUNDS * 2; round++) {
        const who = round % 2 === 0 ? w.actors.admin.id : w.admin2.id;
        plan.push([who, (["read_only", "admin", "read_write"] as const)[(round >> 1) % 3]!]);
      }
      for (const [userId, role] of plan) {
        const o = await attempt(() => m.changeRole(db, w.actors.owner, { orgId: w.org.id, projectId: w.project.id, userId, role }));
        if (record(o)) direct.set(userId, role);
      }
    };
    const mappingLane = async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const ids = { orgId: w.org.id, groupId: groups.writers, projectId: w.sideProject.id };
        const next = ([null, "read_only", "admin"] as const)[round % 3]!;
        const o = await attempt(async () => {
          if (next) await m.mapScimGroup(db, w.actors.owner, { ...ids, role: next });
          else await m.unmapScimGroup(db, w.actors.owner, ids);
        });
        if (record(o)) sideMapping = next;
        else if (next === null && sideMapping === null) codes.pop(); // nothing to unmap yet
      }
    };
    // A watcher reads the committed state all along: a project never has no Project Admin.
    let running = true;
    let looks = 0;
    const watcher = async () => {
      while (running) {
        for (const projectId of [w.project.id, w.sideProject.id]) {
          const [row] = await database.db
            .select({ n: count() })
            .from(projectMemberships)
            .where(and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.role, "admin")));
          expect(row!.n).toBeGreaterThan(0);
        }
        looks++;
      }
    };

    const watching = watcher();
    // 6 SCIM lanes + the console + the mappings = 8 requests in flight.
    await Promise.all([...lanes.map((_, i) => scimLane(i)), consoleLane(), mappingLane()]);
    running = false;
    await watching;

    const tally = codes.reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {});
    expect(
      Object.keys(tally).every((c) => c === "ok" || c === "LAST_ADMIN" || c === "scim 409"),
      JSON.stringify(tally),
    ).toBe(true);
    expect(tally.ok).toBeGreaterThan(SCIM_LANES * ROUNDS);
    expect(looks).toBeGreaterThan(0);
    console.log(`[groups-concurrency] outcomes ${JSON.stringify(tally)}, ${looks} looks at the admins`);

    // Every person's role is exactly what the accepted changes say: nothing lost, nothing left over.
    const everyone = [...lanes.flat().map((p) => p.id), w.actors.admin.id, w.admin2.id];
    const expected = new Map<string, { role: Role; directRole: Role | null; groupRole: Role | null }>();
    for (const userId of everyone) {
      for (const projectId of [w.project.id, w.sideProject.id]) {
        const dr = projectId === w.project.id ? (direct.get(userId) ?? null) : userId === w.admin2.id ? "admin" : null;
        let gr: Role | null = null;
        if (projectId === w.project.id) {
          if (inGroup.get(groups.admins)!.has(userId)) gr = "admin";
          else if (inGroup.get(groups.writers)!.has(userId)) gr = "read_write";
        } else if (sideMapping && inGroup.get(groups.writers)!.has(userId)) gr = sideMapping;
        const role = higherRole(dr, gr);
        if (role) expected.set(`${projectId} ${userId}`, { role, directRole: dr, groupRole: gr });
      }
    }
    const rows = await database.db
      .select(membershipRoles)
      .from(projectMemberships)
      .where(and(inArray(projectMemberships.projectId, [w.project.id, w.sideProject.id]), inArray(projectMemberships.userId, everyone)));
    expect(
      new Map(rows.map((r) => [`${r.projectId} ${r.userId}`, { role: r.role, directRole: r.directRole, groupRole: r.groupRole }])),
    ).toEqual(expected);
    const members = await scim(database.db, token, "GET", `${w.org.id}/Groups/${groups.admins}`);
    expect(new Set((members.body.members ?? []).map((x: { value: string }) => x.value))).toEqual(inGroup.get(groups.admins));
  }, 120_000);
});
