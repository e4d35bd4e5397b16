import "server-only";
import type { Db } from "@/db/client";
import {
  accounts,
  invitations,
  organizationMemberships,
  orgDomains,
  projectMemberships,
  sessions,
  ssoConnections,
  ssoDefaultGrants,
  users,
} from "@/db/schema";
import { and, eq, gt } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { SsoError, type SsoProfile } from "@/lib/sso/types";
import { recordActivity } from "../activity/record-activity";
import { normalizeEmail } from "../email-list";
import { nameProblem } from "../names";
import { lockAddresses, lockSeats, seatUsage } from "../invitations/issue-invitations";
import { ORG_SEAT_LIMIT } from "../invitations/invitation-rules";
import { inTransaction } from "../transaction";
import type { VerbOptions } from "../types";
import type { SsoAttempt } from "./sso-attempts";

/** As long as an email-link session (Auth.js's default): 30 days. */
export const SSO_SESSION_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export type SsoOutcome =
  | { kind: "signed_in"; userId: string; orgId: string; joined: boolean; sessionToken: string; expires: Date }
  | { kind: "tested"; orgId: string };

/** The domain of an address, lower-case ("ana@Acme.com" → "acme.com"). */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf("@") + 1).toLowerCase();
}

/**
 * What a checked answer from an identity provider leads to, in one transaction:
 * - the address must be in one of the connection's organization's VERIFIED domains (the provider
 *   is trusted for nothing else, so a foreign IdP cannot sign in as someone outside them);
 * - "test": the Owner who started it, with the same address, marks the connection tested;
 * - "sign_in": the account with that address is linked (created when there is none, never
 *   duplicated), a person not yet in the organization joins it as Organization Member with the
 *   connection's default project grants, within the seat limit, recorded with the connection as
 *   actor (unless a pending invitation waits for them: they join by accepting it, with its roles);
 *   and a database session is made, the same kind an email link makes.
 */
export async function completeSsoSignIn(
  db: Db,
  input: { attempt: SsoAttempt; profile: SsoProfile },
  options: VerbOptions = {},
): Promise<SsoOutcome> {
  const now = options.now ?? new Date();
  const { attempt, profile } = input;
  const email = normalizeEmail(profile.email);
  if (!email.includes("@") || email.length > 254) throw new SsoError("email_missing", "the provider's address is not an address");
  return inTransaction(db, async (tx) => {
    const [connection] = await tx.select().from(ssoConnections).where(eq(ssoConnections.id, attempt.connectionId)).for("share");
    if (!connection) throw new SsoError("connection_disabled", "the connection was removed during the sign-in");
    if (attempt.purpose === "sign_in" && !connection.enabled) throw new SsoError("connection_disabled", "the connection is off");
    const orgId = connection.orgId;
    const [verified] = await tx
      .select({ id: orgDomains.id })
      .from(orgDomains)
      .where(and(eq(orgDomains.orgId, orgId), eq(orgDomains.domain, domainOf(email)), eq(orgDomains.status, "verified")));
    if (!verified) throw new SsoError("domain_not_verified", `${domainOf(email)} is not a verified domain of the organization`);

    if (attempt.purpose === "test") {
      const [owner] = await tx
        .select({ email: users.email })
        .from(organizationMemberships)
        .innerJoin(users, eq(users.id, organizationMemberships.userId))
        .where(
          and(
            eq(organizationMemberships.orgId, orgId),
            eq(organizationMemberships.userId, attempt.startedById ?? ""),
            eq(organizationMemberships.role, "owner"),
          ),
        );
      if (!owner || normalizeEmail(owner.email) !== email)
        throw new SsoError("test_mismatch", "the test was not signed in as the Owner who started it");
      await tx.update(ssoConnections).set({ testedAt: now, updatedAt: now }).where(eq(ssoConnections.id, connection.id));
      await recordActivity(
        tx,
        { id: attempt.startedById!, email: owner.email },
        [{ orgId, action: "sso.connection_tested", detail: connection.name }],
        now,
      );
      return { kind: "tested", orgId };
    }

    // The same address lock as invites of it to this organization: a join and an invite take turns.
    await lockAddresses(tx, orgId, [email]);
    const user = await linkAccount(tx, connection.id, connection.kind, profile, email, now);
    const [member] = await tx
      .select({ role: organizationMemberships.role })
      .from(organizationMemberships)
      .where(and(eq(organizationMemberships.orgId, orgId), eq(organizationMemberships.userId, user.id)));
    let joined = false;
    // Someone with a pending invitation joins by accepting it (with the roles it grants), not with
    // the connection's default grants, which would otherwise keep the invitation's roles out.
    const [invited] = member
      ? []
      : await tx
          .select({ id: invitations.id })
          .from(invitations)
          .where(
            and(
              eq(invitations.orgId, orgId),
              eq(invitations.email, email),
              eq(invitations.status, "pending"),
              gt(invitations.expiresAt, now),
            ),
          )
          .limit(1);
    if (!member && !invited) {
      await lockSeats(tx, orgId);
      if ((await seatUsage(tx, orgId)).used >= ORG_SEAT_LIMIT) throw new SsoError("seat_limit", `organization ${orgId} is full`);
      await tx.insert(organizationMemberships).values({ orgId, userId: user.id, role: "member", createdAt: now });
      const grants = await tx.select().from(ssoDefaultGrants).where(eq(ssoDefaultGrants.connectionId, connection.id));
      if (grants.length > 0)
        await tx
          .insert(projectMemberships)
          .values(grants.map((g) => ({ orgId, projectId: g.projectId, userId: user.id, role: g.role, createdAt: now })))
          .onConflictDoNothing();
      await recordActivity(
        tx,
        { connection: { id: connection.id, name: connection.name } },
        [
          { orgId, action: "sso.member_joined", targetEmail: email, targetUserId: user.id, newRole: "member" },
          ...grants.map((g) => ({
            orgId,
            projectId: g.projectId,
            action: "member.added" as const,
            targetEmail: email,
            targetUserId: user.id,
            newRole: g.role,
          })),
        ],
        now,
      );
      joined = true;
    }
    const sessionToken = randomBytes(32).toString("base64url");
    const expires = new Date(now.getTime() + SSO_SESSION_MAX_AGE_MS);
    await tx.insert(sessions).values({ sessionToken, userId: user.id, expires });
    return { kind: "signed_in", userId: user.id, orgId, joined, sessionToken, expires };
  });
}

/** The account with this address (created when there is none), linked to the provider's subject. */
async function linkAccount(tx: Db, connectionId: string, kind: "oidc" | "saml", profile: SsoProfile, email: string, now: Date) {
  await tx
    .insert(users)
    // A name the provider sends is kept only when it passes the display-name rule.
    .values({ email, name: providerName(profile.name), emailVerified: now, createdAt: now })
    .onConflictDoNothing({ target: users.email });
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  await tx
    .insert(accounts)
    .values({ userId: user!.id, type: kind, provider: `sso:${connectionId}`, providerAccountId: profile.subject.slice(0, 512) })
    .onConflictDoNothing();
  return user!;
}

function providerName(name: string | null): string | null {
  const trimmed = name?.trim();
  return trimmed && !nameProblem(trimmed, "display") ? trimmed : null;
}
