import "server-only";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, users } from "@/db/schema";
import { isUserId } from "../access";
import { DomainError } from "../errors";

/** One member of an organization, looked up by user id inside that organization only. */
export async function findOrgMember(tx: Db, orgId: string, userId: unknown) {
  if (!isUserId(userId)) return null;
  const rows = await tx
    .select({ userId: organizationMemberships.userId, role: organizationMemberships.role, email: users.email })
    .from(organizationMemberships)
    .innerJoin(users, eq(users.id, organizationMemberships.userId))
    .where(and(eq(organizationMemberships.orgId, orgId), eq(organizationMemberships.userId, userId)));
  return rows[0] ?? null;
}

/** Refuses a change that would leave the organization without an Owner; callers hold the organization row lock. */
export async function assertNotLastOwner(tx: Db, orgId: string, message: string): Promise<void> {
  const [owners] = await tx
    .select({ n: count() })
    .from(organizationMemberships)
    .where(and(eq(organizationMemberships.orgId, orgId), eq(organizationMemberships.role, "owner")));
  if ((owners?.n ?? 0) <= 1) throw new DomainError("LAST_OWNER", message);
}
