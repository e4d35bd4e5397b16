import "server-only";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { scimGroupMembers, scimGroups, scimUsers, users } from "@/db/schema";
import { recordActivity, type ActivityEntry, type ScimActor } from "../activity/record-activity";
import { isUuid } from "../access";
import { DomainError } from "../errors";
import type { Actor } from "../types";
import { applyGroupRoles, mappedProjectIds } from "./group-roles";
import { validScimGroup, type ScimGroupMember, type ScimGroupState, type ScimGroupView } from "./scim-group-rules";

export const groupNotFound = () => new DomainError("NOT_FOUND", "There is no such group in this organization.");

/** The columns of a group's row that its SCIM resource shows. */
export const groupColumns = {
  id: scimGroups.id,
  displayName: scimGroups.displayName,
  externalId: scimGroups.externalId,
  createdAt: scimGroups.createdAt,
  updatedAt: scimGroups.updatedAt,
};

/** Activity rows per insert: one statement stays far below Postgres' 65,535 parameters. */
const ACTIVITY_CHUNK = 2_000;

/** Records a group change's activity, in a bounded number of inserts. */
export async function recordGroupActivity(tx: Db, actor: Parameters<typeof recordActivity>[1], log: ActivityEntry[], now: Date) {
  for (let i = 0; i < log.length; i += ACTIVITY_CHUNK) await recordActivity(tx, actor, log.slice(i, i + ACTIVITY_CHUNK), now);
}

/** One group of an organization with its members (or without them: `members: false`); `lock` locks its row. */
export async function loadScimGroup(
  db: Db,
  orgId: string,
  groupId: string,
  options: { lock?: boolean; members?: boolean } = {},
): Promise<ScimGroupView | null> {
  const query = db
    .select(groupColumns)
    .from(scimGroups)
    .where(and(eq(scimGroups.orgId, orgId), eq(scimGroups.id, groupId)));
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) return null;
  const members = options.members === false ? null : ((await membersOf(db, [row.id])).get(row.id) ?? []);
  return { ...row, members };
}

/** The members of some groups, each list in user id order (one query for a whole page of groups). */
export async function membersOf(db: Db, groupIds: readonly string[]): Promise<Map<string, ScimGroupMember[]>> {
  const byGroup = new Map<string, ScimGroupMember[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .select({
      groupId: scimGroupMembers.groupId,
      id: scimGroupMembers.userId,
      display: sql<string>`coalesce(${scimUsers.displayName}, ${scimUsers.userName})`,
    })
    .from(scimGroupMembers)
    .innerJoin(scimUsers, and(eq(scimUsers.orgId, scimGroupMembers.orgId), eq(scimUsers.userId, scimGroupMembers.userId)))
    .where(inArray(scimGroupMembers.groupId, [...groupIds]))
    .orderBy(asc(scimGroupMembers.groupId), asc(scimGroupMembers.userId));
  for (const r of rows) {
    const list = byGroup.get(r.groupId) ?? [];
    list.push({ id: r.id, display: r.display });
    byGroup.set(r.groupId, list);
  }
  return byGroup;
}

/** Refuses a displayName another group of the organization has (case-insensitively). */
export async function assertGroupNameFree(tx: Db, orgId: string, displayName: string, exceptId?: string): Promise<void> {
  const [taken] = await tx
    .select({ id: scimGroups.id })
    .from(scimGroups)
    .where(
      and(
        eq(scimGroups.orgId, orgId),
        sql`lower(${scimGroups.displayName}) = lower(${displayName})`,
        exceptId ? ne(scimGroups.id, exceptId) : undefined,
      ),
    );
  if (taken) throw groupNameTaken(displayName);
}

export const groupNameTaken = (displayName: string) =>
  new DomainError("CONFLICT", `A group with displayName ${displayName} already exists in this organization.`);

/**
 * Writes who is in a group, set-based whatever the number of people (one read, one insert, one
 * delete): the people added must be SCIM users of the organization, else nothing is changed
 * (400). Returns the addresses added and removed, for the activity.
 */
export async function writeGroupMembers(
  tx: Db,
  orgId: string,
  groupId: string,
  before: readonly string[],
  after: readonly string[],
): Promise<{ added: { userId: string; email: string }[]; removed: { userId: string; email: string }[] }> {
  const had = new Set(before);
  const will = new Set(after);
  const addedIds = [...will].filter((id) => !had.has(id));
  const removedIds = [...had].filter((id) => !will.has(id));
  const people = await tx
    .select({ userId: scimUsers.userId, email: users.email })
    .from(scimUsers)
    .innerJoin(users, eq(users.id, scimUsers.userId))
    .where(and(eq(scimUsers.orgId, orgId), inArray(scimUsers.userId, [...addedIds, ...removedIds, ""])));
  const emailOf = new Map(people.map((p) => [p.userId, p.email]));
  const unknown = addedIds.filter((id) => !emailOf.has(id));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map((id) => JSON.stringify(id));
    throw new DomainError(
      "INVALID",
      `Members must be users provisioned in this organization; unknown: ${shown.join(", ")}` +
        `${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ""}. Nothing was changed.`,
      { members: ["Unknown member"] },
    );
  }
  if (addedIds.length > 0)
    await tx
      .insert(scimGroupMembers)
      .values(addedIds.map((userId) => ({ groupId, orgId, userId })))
      .onConflictDoNothing();
  if (removedIds.length > 0)
    await tx.delete(scimGroupMembers).where(and(eq(scimGroupMembers.groupId, groupId), inArray(scimGroupMembers.userId, removedIds)));
  const person = (userId: string) => ({ userId, email: emailOf.get(userId) ?? "" });
  return { added: addedIds.map(person), removed: removedIds.filter((id) => emailOf.has(id)).map(person) };
}

/** The group an Owner maps to a project or unmaps, locked (its members not read); NOT_FOUND when it is no group of the organization. */
export async function lockGroupToMap(tx: Db, orgId: string, groupId: string): Promise<ScimGroupView> {
  const group = isUuid(groupId) ? await loadScimGroup(tx, orgId, groupId, { lock: true, members: false }) : null;
  if (!group) throw groupNotFound();
  return group;
}

/**
 * Recomputes the roles a group gives on one project after an Owner mapped it there or unmapped it,
 * and records the change with the roles it moved; refused, nothing changed, when that would take
 * the project's last Project Admin. Returns the roles moved.
 */
export async function applyMappingChange(
  tx: Db,
  actor: Actor,
  group: { id: string; displayName: string },
  change: Omit<ActivityEntry, "detail" | "projectId"> & { projectId: string },
  now: Date,
): Promise<ActivityEntry[]> {
  const roles = await applyGroupRoles(tx, { groupId: group.id }, [change.projectId], {
    orgId: change.orgId,
    groupName: group.displayName,
    lastAdminMessage: (who, projectName) =>
      `${who} is the only Project Admin of ${projectName} and holds that role through this group. Make another collaborator a Project Admin first.`,
  });
  await recordActivity(tx, actor, [{ ...change, detail: group.displayName }, ...roles], now);
  return roles;
}

const lastAdminBySCIM = (groupName: string) => (who: string, projectName: string) =>
  `${who} is the only Project Admin of ${projectName}, and that role comes from the group ${groupName}, so SCIM cannot take it away. ` +
  "Make another collaborator a Project Admin in the console first; nothing was changed.";

/**
 * Changes a group (PUT, PATCH) under its row lock, with the organization row locked first:
 * `change` gets the stored state and returns the new one. Names are checked (displayName unique,
 * case-insensitively), members written set-based, and the group roles of exactly the people who
 * joined or left recomputed on the projects the group is mapped to (applyGroupRoles: refused,
 * nothing changed, when a project would lose its last Project Admin). The caller takes the org lock.
 */
export async function changeScimGroup(
  tx: Db,
  actor: ScimActor,
  input: { orgId: string; groupId: string; change: (current: ScimGroupState) => ScimGroupState },
  now: Date,
): Promise<void> {
  const current = await loadScimGroup(tx, input.orgId, input.groupId, { lock: true });
  if (!current) throw groupNotFound();
  const before: ScimGroupState = {
    displayName: current.displayName,
    externalId: current.externalId,
    memberIds: (current.members ?? []).map((m) => m.id),
  };
  const next = validScimGroup(input.change(before));
  const renamed = next.displayName !== before.displayName;
  if (renamed && next.displayName.toLowerCase() !== before.displayName.toLowerCase())
    await assertGroupNameFree(tx, input.orgId, next.displayName, input.groupId);
  const { added, removed } = await writeGroupMembers(tx, input.orgId, input.groupId, before.memberIds, next.memberIds);
  if (renamed || next.externalId !== before.externalId || added.length > 0 || removed.length > 0)
    await tx
      .update(scimGroups)
      .set({ displayName: next.displayName, externalId: next.externalId, updatedAt: now })
      .where(eq(scimGroups.id, input.groupId));
  const roles = await applyGroupRoles(
    tx,
    { userIds: [...added, ...removed].map((p) => p.userId) },
    await mappedProjectIds(tx, input.groupId),
    { orgId: input.orgId, groupName: next.displayName, lastAdminMessage: lastAdminBySCIM(next.displayName) },
  );
  const log: ActivityEntry[] = [
    ...(renamed
      ? [{ orgId: input.orgId, action: "scim.group_renamed" as const, detail: `${before.displayName}\n${next.displayName}` }]
      : []),
    ...memberEntries(input.orgId, next.displayName, added, removed),
    ...roles,
  ];
  await recordGroupActivity(tx, actor, log, now);
}

/** One activity record per person who joined or left a group. */
export function memberEntries(
  orgId: string,
  groupName: string,
  added: readonly { userId: string; email: string }[],
  removed: readonly { userId: string; email: string }[],
): ActivityEntry[] {
  return [
    ...added.map((p) => ({
      orgId,
      action: "scim.group_member_added" as const,
      targetEmail: p.email,
      targetUserId: p.userId,
      detail: groupName,
    })),
    ...removed.map((p) => ({
      orgId,
      action: "scim.group_member_removed" as const,
      targetEmail: p.email,
      targetUserId: p.userId,
      detail: groupName,
    })),
  ];
}

export { lastAdminBySCIM };
