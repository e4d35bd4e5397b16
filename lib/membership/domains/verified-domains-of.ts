import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { and, asc, eq } from "drizzle-orm";
import { isUuid } from "../access";

/**
 * The domains an organization holds verified now, by name (a plain read with no actor, for
 * single sign-on: an identity provider's address is trusted only within these).
 */
export async function verifiedDomainsOf(db: Db, orgId: string): Promise<string[]> {
  if (!isUuid(orgId)) return [];
  const rows = await db
    .select({ domain: orgDomains.domain })
    .from(orgDomains)
    .where(and(eq(orgDomains.orgId, orgId), eq(orgDomains.status, "verified")))
    .orderBy(asc(orgDomains.domain));
  return rows.map((r) => r.domain);
}
