import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, scimUsers, users } from "@/db/schema";
import type { ScimUserView } from "./scim-user-rules";

/** The columns of a SCIM user's view: active only while the person is in the organization. */
export const scimUserColumns = {
  id: scimUsers.userId,
  userName: scimUsers.userName,
  externalId: scimUsers.externalId,
  email: sql<string | null>`coalesce(${scimUsers.email}, ${users.email})`,
  givenName: scimUsers.givenName,
  familyName: scimUsers.familyName,
  displayName: scimUsers.displayName,
  active: sql<boolean>`(${scimUsers.active} and ${organizationMemberships.userId} is not null)`,
  createdAt: scimUsers.createdAt,
  updatedAt: scimUsers.updatedAt,
};

/** The SCIM users of an organization joined with what their view needs, to be filtered and paged by the caller. */
export function scimUsersQuery(db: Db) {
  return db
    .select(scimUserColumns)
    .from(scimUsers)
    .innerJoin(users, eq(users.id, scimUsers.userId))
    .leftJoin(
      organizationMemberships,
      and(eq(organizationMemberships.orgId, scimUsers.orgId), eq(organizationMemberships.userId, scimUsers.userId)),
    )
    .$dynamic();
}

/** One SCIM user of an organization, or null; `lock` locks its row until the transaction ends. */
export async function loadScimUser(db: Db, orgId: string, userId: string, options: { lock?: boolean } = {}): Promise<ScimUserView | null> {
  if (options.lock)
    await db
      .select({ one: sql`1` })
      .from(scimUsers)
      .where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.userId, userId)))
      .for("update");
  const [row] = await scimUsersQuery(db).where(and(eq(scimUsers.orgId, orgId), eq(scimUsers.userId, userId)));
  return row ?? null;
}
