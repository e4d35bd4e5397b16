import "server-only";
import { and, eq, ilike, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, orgRoleCounts, users } from "@/db/schema";
import { authorizeOrg } from "../access";
import { keysetPage, oneOf, type KeyPart, countUpTo, rowsToCount } from "../keyset";
import { containsPattern, orgRoleFilter, searchText, type ListFilter } from "../list-filter";
import { ORG_ROLES, type OrgRole } from "../roles";
import { LIST_COUNT_CAP, PAGE_SIZE, type Actor, type Page } from "../types";

export interface OrganizationMember {
  userId: string;
  name: string | null;
  email: string;
  role: OrgRole;
  projects: number;
  joinedAt: Date;
}

// Owners first, then by email: served by org_memberships_listing_idx (org_id, role, email), the
// email copied from users by a trigger like project_memberships.email.
const MEMBER_KEY: KeyPart[] = [
  { expr: sql`${organizationMemberships.role}`, type: "org_role", valid: oneOf(ORG_ROLES) },
  { expr: sql`${organizationMemberships.email}`, type: "text", valid: () => true },
];

/**
 * An organization's members with how many projects each works on, 50 a page, optionally only
 * those whose name or email contains `q` and who hold `role`; every member may look (owners manage).
 */
export async function listOrganizationMembers(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; cursor?: string | null } & ListFilter,
): Promise<Page<OrganizationMember>> {
  await authorizeOrg(db, actor, input.orgId, "org.members.view");
  const q = searchText(input.q);
  const role = orgRoleFilter(input.role);
  const where = and(
    eq(organizationMemberships.orgId, input.orgId),
    role ? eq(organizationMemberships.role, role) : undefined,
    q ? or(ilike(users.email, containsPattern(q)), ilike(users.name, containsPattern(q))) : undefined,
  );
  const page = await keysetPage({
    list: "org-members",
    cursor: input.cursor,
    size: PAGE_SIZE,
    direction: "asc",
    keys: MEMBER_KEY,
    fetch: (after, order, limit) =>
      db
        .select({
          userId: users.id,
          name: users.name,
          email: users.email,
          role: organizationMemberships.role,
          projects: sql<number>`(select count(*)::int from project_memberships pm
            where pm.org_id = ${organizationMemberships.orgId} and pm.user_id = ${users.id})`,
          joinedAt: organizationMemberships.createdAt,
          key: organizationMemberships.email,
        })
        .from(organizationMemberships)
        .innerJoin(users, eq(users.id, organizationMemberships.userId))
        .where(and(where, after))
        .orderBy(...order)
        .limit(limit),
    keyOf: (r) => [r.role, r.key ?? r.email],
  });
  return {
    items: page.rows.map(({ key: _key, ...member }) => member),
    ...(await countMembers(db, input.orgId, Boolean(q || role), where)),
    start: page.start,
    next: page.next,
    prev: page.prev,
    pageSize: PAGE_SIZE,
  };
}

/** Exact from org_role_counts (kept by a trigger) without a filter; a filtered list is counted up to LIST_COUNT_CAP. */
async function countMembers(
  db: Db,
  orgId: string,
  filtered: boolean,
  where: ReturnType<typeof and>,
): Promise<{ total: number; capped?: true }> {
  if (!filtered) {
    const [row] = await db
      .select({ n: sql<number>`coalesce(sum(${orgRoleCounts.n}), 0)::int` })
      .from(orgRoleCounts)
      .where(eq(orgRoleCounts.orgId, orgId));
    return { total: Number(row?.n ?? 0) };
  }
  return countUpTo(
    db,
    rowsToCount(db, organizationMemberships, where, { table: users, on: eq(users.id, organizationMemberships.userId) }),
    LIST_COUNT_CAP,
  );
}
