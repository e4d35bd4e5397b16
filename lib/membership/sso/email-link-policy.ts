import "server-only";
import type { Db } from "@/db/client";
import { organizationMemberships, users } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { normalizeEmail } from "../email-list";
import { findSsoForEmail, type SsoForEmail } from "./find-sso-for-email";

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
