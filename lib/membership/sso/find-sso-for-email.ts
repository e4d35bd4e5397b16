import "server-only";
import type { Db } from "@/db/client";
import { organizations, orgDomains, ssoConnections } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { normalizeEmail } from "../email-list";
import { domainOf } from "./complete-sso-sign-in";

export interface SsoForEmail {
  connectionId: string;
  orgId: string;
  orgName: string;
  requireSso: boolean;
}

/**
 * Home-realm discovery: the switched-on connection of the organization that verified this
 * address's domain, or null (then the address signs in by email link as before).
 */
export async function findSsoForEmail(db: Db, email: string): Promise<SsoForEmail | null> {
  const [row] = await db
    .select({
      connectionId: ssoConnections.id,
      orgId: organizations.id,
      orgName: organizations.name,
      requireSso: ssoConnections.requireSso,
    })
    .from(orgDomains)
    .innerJoin(ssoConnections, and(eq(ssoConnections.orgId, orgDomains.orgId), eq(ssoConnections.enabled, true)))
    .innerJoin(organizations, eq(organizations.id, orgDomains.orgId))
    .where(and(eq(orgDomains.domain, domainOf(normalizeEmail(email))), eq(orgDomains.status, "verified")));
  return row ?? null;
}
