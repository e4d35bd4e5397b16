import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, users } from "@/db/schema";
import { authorizeOrg } from "./access";
import { pageNumber } from "./list-collaborators";
import { containsPattern, searchText } from "./list-filter";
import type { OrgRole } from "./roles";
import { PAGE_SIZE, type Actor, type Page } from "./types";

export interface OrganizationMember {
  userId: string;
  name: string | null;
  email: string;
  role: OrgRole;
  projects: number;
  joinedAt: Date;
}


/**
 * An organization's members with how many projects each works on, 50 a page, optionally only
 * those whose name or email contains `q`; every member may look (owners manage).
 */
export async function listOrganizationMembers(db: Db, actor: Actor | null, input: { orgId: string; page?: number; q?: string }): Promise<Page<OrganizationMember>> {
  await authorizeOrg(db, actor, input.orgId, "org.members.view");
  const page = pageNumber(input.page);
  const q = searchText(input.q);
  const where = and(
    eq(organizationMemberships.orgId, input.orgId),
    q ? or(ilike(users.email, containsPattern(q)), ilike(users.name, containsPattern(q))) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        role: organizationMemberships.role,
        projects: sql<number>`(select count(*)::int from project_memberships pm where pm.org_id = ${organizationMemberships.orgId} and pm.user_id = ${users.id})`,
        joinedAt: organizationMemberships.createdAt,
      })
      .from(organizationMemberships)
      .innerJoin(users, eq(users.id, organizationMemberships.userId))
      .where(where)
      .orderBy(asc(organizationMemberships.role), asc(users.email))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(organizationMemberships).innerJoin(users, eq(users.id, organizationMemberships.userId)).where(where),
  ]);
  return { items, total: total?.n ?? 0, page, pageSize: PAGE_SIZE };
}
