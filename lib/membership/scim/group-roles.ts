import "server-only";
import { and, asc, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Db } from "@/db/client";
import {
  organizationMemberships,
  organizations,
  projectMemberships,
  projects,
  scimGroupMembers,
  scimGroupProjectRoles,
  scimGroups,
  users,
} from "@/db/schema";
import type { ActivityEntry } from "../activity/record-activity";
import { countAdmins } from "../collaborators/collaborator-lookup";
import { DomainError } from "../errors";
import type { ProjectRole } from "../roles";

const POWER: Record<ProjectRole, number> = { read_only: 0, read_write: 1, admin: 2 };

/** The higher of two roles; null counts as no role. */
export function higherRole(a: ProjectRole | null, b: ProjectRole | null): ProjectRole | null {
  if (!a) return b;
  if (!b) return a;
  return POWER[a] >= POWER[b] ? a : b;
}

/**
 * The organization row lock every verb that changes SCIM groups, their members or their mappings
 * takes first (as deactivation and removal from the organization do): group changes of one
 * organization take turns, and nobody leaves the organization while their group roles are written.
 */
export async function lockOrgForGroups(tx: Db, orgId: string): Promise<void> {
  const locked = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for("no key update");
  if (locked.length === 0) throw new DomainError("NOT_FOUND", "This organization was not found.");
}

/** Whose group roles to recompute: these SCIM users, or every member of one group. */
export type GroupRoleScope = { userIds: readonly string[] } | { groupId: string };

export interface GroupRoleCause {
  orgId: string;
  /** The group whose change this is, named in the activity ("… through the group “search-admins”"). */
  groupName: string;
  /** The refusal's sentence when the change would leave a project without a Project Admin. */
  lastAdminMessage: (who: string, projectName: string) => string;
}

function inScope(column: AnyPgColumn, scope: GroupRoleScope): SQL {
  if ("groupId" in scope)
    return sql`${column} in (select ${scimGroupMembers.userId} from ${scimGroupMembers} where ${scimGroupMembers.groupId} = ${scope.groupId})`;
  return inArray(column, [...scope.userIds]);
}

/**
 * Brings the group-given roles of the people in scope on the given projects in line with their
 * groups and the Owner's mappings (issue 20, docs/product-rules.md "SCIM groups"): group_role =
 * the highest role their groups map to the project; role = the higher of direct_role and
 * group_role; a membership with neither ends. Only people in the organization get group roles.
 * Set-based: two reads and at most five writes per project, whatever the number of people.
 * Locks the projects by id (the caller holds the organization row lock, taken first). Refused
 * with LAST_ADMIN, before anything is kept, when a project would be left without a Project Admin.
 */
export async function applyGroupRoles(
  tx: Db,
  scope: GroupRoleScope,
  projectIds: readonly string[],
  cause: GroupRoleCause,
): Promise<ActivityEntry[]> {
  if (projectIds.length === 0 || ("userIds" in scope && scope.userIds.length === 0)) return [];
  const locked = await tx
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(and(eq(projects.orgId, cause.orgId), inArray(projects.id, [...projectIds])))
    .orderBy(asc(projects.id))
    .for("no key update");
  const projectName = new Map(locked.map((p) => [p.id, p.name]));
  const ids = locked.map((p) => p.id);
  if (ids.length === 0) return [];

  const current = await tx
    .select({
      projectId: projectMemberships.projectId,
      userId: projectMemberships.userId,
      role: projectMemberships.role,
      directRole: projectMemberships.directRole,
      groupRole: projectMemberships.groupRole,
      email: users.email,
    })
    .from(projectMemberships)
    .innerJoin(users, eq(users.id, projectMemberships.userId))
    .where(and(inArray(projectMemberships.projectId, ids), inScope(projectMemberships.userId, scope)));
  const wanted = await tx
    .select({
      projectId: scimGroupProjectRoles.projectId,
      userId: scimGroupMembers.userId,
      // The enum sorts admin first: min() is the most powerful role.
      role: sql<ProjectRole>`min(${scimGroupProjectRoles.role})`,
      email: users.email,
    })
    .from(scimGroupMembers)
    .innerJoin(scimGroupProjectRoles, eq(scimGroupProjectRoles.groupId, scimGroupMembers.groupId))
    .innerJoin(
      organizationMemberships,
      and(eq(organizationMemberships.orgId, scimGroupMembers.orgId), eq(organizationMemberships.userId, scimGroupMembers.userId)),
    )
    .innerJoin(users, eq(users.id, scimGroupMembers.userId))
    .where(
      and(eq(scimGroupMembers.orgId, cause.orgId), inArray(scimGroupProjectRoles.projectId, ids), inScope(scimGroupMembers.userId, scope)),
    )
    .groupBy(scimGroupProjectRoles.projectId, scimGroupMembers.userId, users.email);

  const key = (projectId: string, userId: string) => `${projectId} ${userId}`;
  const wantedBy = new Map(wanted.map((w) => [key(w.projectId, w.userId), w]));
  const inserts: (typeof projectMemberships.$inferInsert)[] = [];
  // "projectId|set|role" → user ids given that group role; "projectId|clear" and "projectId|delete" → user ids losing it.
  const batches = new Map<string, { projectId: string; op: "set" | "clear" | "delete"; role: ProjectRole | null; userIds: string[] }>();
  const batch = (projectId: string, op: "set" | "clear" | "delete", role: ProjectRole | null, userId: string) => {
    const k = `${projectId}|${op}|${role ?? ""}`;
    const b = batches.get(k) ?? { projectId, op, role, userIds: [] };
    b.userIds.push(userId);
    batches.set(k, b);
  };
  const log: ActivityEntry[] = [];
  const demoted = new Map<string, string>(); // projectId → an address that loses Project Admin there
  const entry = (projectId: string, email: string, userId: string) => ({
    orgId: cause.orgId,
    projectId,
    projectName: projectName.get(projectId) ?? null,
    targetEmail: email,
    targetUserId: userId,
    detail: cause.groupName,
  });

  for (const row of current) {
    const want = wantedBy.get(key(row.projectId, row.userId))?.role ?? null;
    wantedBy.delete(key(row.projectId, row.userId));
    if (row.groupRole === want) continue;
    const next = higherRole(row.directRole, want);
    if (want) batch(row.projectId, "set", want, row.userId);
    else batch(row.projectId, row.directRole ? "clear" : "delete", null, row.userId);
    if (row.role === "admin" && next !== "admin") demoted.set(row.projectId, row.email);
    if (!next) log.push({ ...entry(row.projectId, row.email, row.userId), action: "member.removed", oldRole: row.role });
    else if (next !== row.role)
      log.push({ ...entry(row.projectId, row.email, row.userId), action: "member.role_changed", oldRole: row.role, newRole: next });
  }
  for (const w of wantedBy.values()) {
    inserts.push({ orgId: cause.orgId, projectId: w.projectId, userId: w.userId, role: w.role, directRole: null, groupRole: w.role });
    log.push({ ...entry(w.projectId, w.email, w.userId), action: "member.added", newRole: w.role });
  }

  if (inserts.length > 0) await tx.insert(projectMemberships).values(inserts);
  for (const b of batches.values()) {
    const where = and(eq(projectMemberships.projectId, b.projectId), inArray(projectMemberships.userId, b.userIds));
    if (b.op === "set")
      await tx
        .update(projectMemberships)
        // least() over the enum is the more powerful role; it ignores a null direct role.
        .set({ groupRole: b.role, role: sql`least(${projectMemberships.directRole}, ${b.role}::project_role)` })
        .where(where);
    else if (b.op === "clear")
      await tx
        .update(projectMemberships)
        .set({ groupRole: null, role: sql`${projectMemberships.directRole}` })
        .where(and(where, isNotNull(projectMemberships.directRole)));
    else await tx.delete(projectMemberships).where(and(where, isNull(projectMemberships.directRole)));
  }
  for (const [projectId, who] of [...demoted.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    // Under the project lock the count is exact; throwing rolls back every write of the request.
    if ((await countAdmins(tx, projectId)) === 0)
      throw new DomainError("LAST_ADMIN", cause.lastAdminMessage(who, projectName.get(projectId) ?? "a project"));
  }
  return log;
}

/** The projects a group is mapped to. */
export async function mappedProjectIds(tx: Db, groupId: string): Promise<string[]> {
  const rows = await tx
    .select({ projectId: scimGroupProjectRoles.projectId })
    .from(scimGroupProjectRoles)
    .where(eq(scimGroupProjectRoles.groupId, groupId));
  return rows.map((r) => r.projectId);
}

/**
 * Gives a person back in the organization (a SCIM user made active again) the roles their groups
 * are mapped to; the caller holds the organization row lock. Nothing when they are in no mapped group.
 */
export async function restoreGroupRoles(tx: Db, orgId: string, userId: string): Promise<ActivityEntry[]> {
  const rows = await tx
    .select({ projectId: scimGroupProjectRoles.projectId, groupName: scimGroups.displayName })
    .from(scimGroupMembers)
    .innerJoin(scimGroups, eq(scimGroups.id, scimGroupMembers.groupId))
    .innerJoin(scimGroupProjectRoles, eq(scimGroupProjectRoles.groupId, scimGroupMembers.groupId))
    .where(and(eq(scimGroupMembers.orgId, orgId), eq(scimGroupMembers.userId, userId)));
  if (rows.length === 0) return [];
  return applyGroupRoles(tx, { userIds: [userId] }, [...new Set(rows.map((r) => r.projectId))], {
    orgId,
    groupName: [...new Set(rows.map((r) => r.groupName))].sort().join(", "),
    // Only roles are given here, never taken.
    lastAdminMessage: () => "SCIM cannot take the last Project Admin away; nothing was changed.",
  });
}
