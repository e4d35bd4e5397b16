import "server-only";
import type { Db } from "@/db/client";
import { organizationMemberships } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import type { OrgRole } from "../roles";

/** Someone's role in an organization, read now (no cache), or null. */
export async function orgRoleOf(db: Db, orgId: string, userId: string): Promise<OrgRole | null> {
  const [row] = await db
    .select({ role: organizationMemberships.role })
    .from(organizationMemberships)
    .where(and(eq(organizationMemberships.orgId, orgId), eq(organizationMemberships.userId, userId)));
  return row?.role ?? null;
}
