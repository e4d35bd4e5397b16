import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { domainToASCII } from "node:url";

/**
 * The organization that holds a domain verified now, or null (a plain read with no actor, for
 * sign-in: home-realm discovery). The domain is compared in its stored form: lower-case, punycode
 * (an international name is converted).
 */
export async function verifiedDomainOwner(db: Db, domain: string): Promise<{ orgId: string } | null> {
  const plain = domain.trim().toLowerCase().replace(/\.$/, "");
  const [row] = await db
    .select({ orgId: orgDomains.orgId })
    .from(orgDomains)
    .where(and(eq(orgDomains.domain, domainToASCII(plain) || plain), eq(orgDomains.status, "verified")))
    .limit(1);
  return row ?? null;
}
