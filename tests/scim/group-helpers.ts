import { randomUUID } from "node:crypto";
import { and, asc, eq, getTableColumns, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  organizationMemberships,
  projectMemberships,
  scimGroupMembers,
  scimGroupProjectRoles,
  scimGroups,
  scimUsers,
  users,
} from "@/db/schema";
import { freshTag, uniqueEmail } from "../membership/fixtures";

const { projectId, userId, role, directRole, groupRole } = getTableColumns(projectMemberships);
/** The columns of a project membership that say who has which role, directly and through a group. */
export const membershipRoles = { projectId, userId, role, directRole, groupRole };

export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** A PATCH body with these operations. */
export const patchBody = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

/**
 * SCIM users seeded as rows (accounts, SCIM records and, unless `inOrg: false`, Organization
 * Member memberships), for tests that need many people without provisioning them one by one.
 */
export async function seedScimUsers(db: Db, orgId: string, n: number, options: { inOrg?: boolean } = {}) {
  const tag = freshTag();
  const people = Array.from({ length: n }, (_, i) => ({ id: randomUUID(), email: uniqueEmail(`p${i}`, tag) }));
  for (let i = 0; i < people.length; i += 500) {
    const chunk = people.slice(i, i + 500);
    await db.insert(users).values(chunk.map((p) => ({ id: p.id, email: p.email })));
    await db.insert(scimUsers).values(chunk.map((p) => ({ orgId, userId: p.id, userName: p.email, email: p.email })));
    if (options.inOrg !== false)
      await db.insert(organizationMemberships).values(chunk.map((p) => ({ orgId, userId: p.id, role: "member" as const })));
  }
  return people;
}

/** Links existing console accounts (already in the organization) as SCIM users. */
export async function linkScimUsers(db: Db, orgId: string, people: readonly { id: string; email: string }[]) {
  await db
    .insert(scimUsers)
    .values(people.map((p) => ({ orgId, userId: p.id, userName: p.email, email: p.email })))
    .onConflictDoNothing();
}

/** A person's project membership row (role and its sources), or undefined. */
export async function membershipOf(db: Db, projectId: string, userId: string) {
  const [row] = await db
    .select({ role: projectMemberships.role, directRole: projectMemberships.directRole, groupRole: projectMemberships.groupRole })
    .from(projectMemberships)
    .where(and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.userId, userId)));
  return row;
}

/** Everything about an organization's SCIM groups and project memberships, to prove a refusal changed nothing. */
export async function groupState(db: Db, orgId: string) {
  return {
    groups: await db.select().from(scimGroups).where(eq(scimGroups.orgId, orgId)).orderBy(asc(scimGroups.id)),
    members: await db
      .select()
      .from(scimGroupMembers)
      .where(eq(scimGroupMembers.orgId, orgId))
      .orderBy(asc(scimGroupMembers.groupId), asc(scimGroupMembers.userId)),
    mappings: await db
      .select()
      .from(scimGroupProjectRoles)
      .where(eq(scimGroupProjectRoles.orgId, orgId))
      .orderBy(asc(scimGroupProjectRoles.groupId), asc(scimGroupProjectRoles.projectId)),
    memberships: await db
      .select(membershipRoles)
      .from(projectMemberships)
      .where(eq(projectMemberships.orgId, orgId))
      .orderBy(asc(projectMemberships.projectId), asc(projectMemberships.userId)),
    activity: Number(
      ((await db.execute(sql`select count(*)::int as n from activity where org_id = ${orgId}`)) as unknown as { rows: { n: number }[] })
        .rows[0]!.n,
    ),
  };
}
