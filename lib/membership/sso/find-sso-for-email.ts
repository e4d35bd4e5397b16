import "server-only";
import type { Db } from "@/db/client";
import { organizationMemberships, organizations, orgDomains, ssoConnections, users } from "@/db/schema";
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

export type EmailLinkPolicy =
  | { allowed: true; breakGlass: null }
  /** "Require SSO" covers the address, but it belongs to an Owner of that organization: allowed, and recorded. */
  | { allowed: true; breakGlass: { orgId: string; userId: string } }
  | { allowed: false; sso: SsoForEmail };

/** Whether an address may sign in by email link, under its organization's "Require SSO". */
export async function emailLinkPolicy(db: Db, email: string): Promise<EmailLinkPolicy> {
  const sso = await findSsoForEmail(db, email);
  if (!sso?.requireSso) return { allowed: true, breakGlass: null };
  const [owner] = await db
    .select({ userId: users.id })
    .from(users)
    .innerJoin(
      organizationMemberships,
      and(
        eq(organizationMemberships.userId, users.id),
        eq(organizationMemberships.orgId, sso.orgId),
        eq(organizationMemberships.role, "owner"),
      ),
    )
    .where(eq(users.email, normalizeEmail(email)));
  return owner ? { allowed: true, breakGlass: { orgId: sso.orgId, userId: owner.userId } } : { allowed: false, sso };
}
