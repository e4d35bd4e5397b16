import "server-only";
import { and, eq, gt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, organizationMemberships, projectMemberships, sessions } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import type { ActivityAction, ActivityEntry } from "../activity/record-activity";
import { DomainError } from "../errors";
import { loadGrants } from "../invitations/invitation-grants";
import { revokeInvitationsTo } from "../invitations/revoke-invitations-to";
import { ORG_SEAT_LIMIT } from "../invitations/invitation-rules";
import { lockSeats, seatUsage } from "../invitations/issue-invitations";
import { endOrganizationMembership } from "../organizations/end-organization-membership";
import { assertNotLastOwner, findOrgMember } from "../organizations/org-member-lookup";

/**
 * Brings a provisioned person into the organization, no email sent; the caller holds the lock of
 * their address (the one invites and SSO take). Someone already in keeps their role. A pending
 * invitation for the address is fulfilled: they join with its role and project grants (its seat
 * becomes theirs). Anyone else joins as Organization Member within the seat limit.
 */
export async function joinByScim(tx: Db, orgId: string, person: { userId: string; email: string }, now: Date): Promise<ActivityEntry[]> {
  const [member] = await tx
    .select({ role: organizationMemberships.role })
    .from(organizationMemberships)
    .where(and(eq(organizationMemberships.orgId, orgId), eq(organizationMemberships.userId, person.userId)));
  if (member) return [];
  const target = { targetEmail: person.email, targetUserId: person.userId };
  const [invited] = await tx
    .select({ id: invitations.id, orgRole: invitations.orgRole })
    .from(invitations)
    .where(
      and(
        eq(invitations.orgId, orgId),
        eq(invitations.email, person.email),
        eq(invitations.status, "pending"),
        gt(invitations.expiresAt, now),
      ),
    )
    .limit(1)
    .for("update");
  if (invited) {
    const grants = (await loadGrants(tx, [invited.id])).get(invited.id) ?? [];
    await tx.insert(organizationMemberships).values({ orgId, userId: person.userId, role: invited.orgRole, createdAt: now });
    if (grants.length > 0)
      await tx
        .insert(projectMemberships)
        .values(grants.map((g) => ({ orgId, projectId: g.projectId, userId: person.userId, role: g.role, createdAt: now })))
        .onConflictDoNothing();
    await tx
      .update(invitations)
      .set({ status: "accepted", acceptedAt: now, acceptedById: person.userId })
      .where(eq(invitations.id, invited.id));
    await cancelPendingEmails(tx, [invited.id], "Cancelled: the person joined through SCIM provisioning");
    return [
      { orgId, action: "scim.user_joined", ...target, newRole: invited.orgRole, detail: "invitation fulfilled" },
      ...grants.map((g) => ({ orgId, projectId: g.projectId, action: "member.added" as const, ...target, newRole: g.role })),
    ];
  }
  await lockSeats(tx, orgId);
  const { used } = await seatUsage(tx, orgId);
  if (used >= ORG_SEAT_LIMIT)
    throw new DomainError(
      "LIMIT_REACHED",
      `The organization has all its ${ORG_SEAT_LIMIT.toLocaleString("en-US")} seats taken (members and pending invitations); ` +
        `${person.email} was not added. Remove someone or revoke an invitation first.`,
    );
  await tx.insert(organizationMemberships).values({ orgId, userId: person.userId, role: "member", createdAt: now });
  return [{ orgId, action: "scim.user_joined", ...target, newRole: "member" }];
}

/**
 * Takes a deprovisioned person out of the organization, as removal by an Owner does: project
 * roles, API keys they made there and pending invitations to them end, and their sessions end
 * (sessions are not per organization: they sign in again for any other organization). Refused,
 * nothing changed, for the last Organization Owner or a project's last Project Admin. The caller
 * holds the organization row lock. Returns nothing when they were not in the organization.
 */
export async function leaveByScim(
  tx: Db,
  orgId: string,
  person: { userId: string; userName: string },
  action: ActivityAction,
  now: Date,
): Promise<ActivityEntry[]> {
  const member = await findOrgMember(tx, orgId, person.userId);
  if (!member) return [];
  const who = member.email;
  if (member.role === "owner")
    await assertNotLastOwner(
      tx,
      orgId,
      `${who} is the only Organization Owner, so SCIM cannot remove them. Make someone else an Owner in the console first; nothing was changed.`,
    );
  const { held, keysRevoked } = await endOrganizationMembership(
    tx,
    { orgId, userId: member.userId, email: who },
    (project) =>
      `${who} is the only Project Admin of ${project}, so SCIM cannot remove them. ` +
      "Make another collaborator a Project Admin in the console first; nothing was changed.",
    now,
  );
  const invitationsRevoked = await revokeInvitationsTo(tx, orgId, who, now);
  await tx.delete(sessions).where(eq(sessions.userId, member.userId));
  const target = { targetEmail: who, targetUserId: member.userId };
  return [
    { orgId, action, ...target, oldRole: member.role },
    ...held.map((h) => ({ orgId, projectId: h.projectId, action: "member.removed" as const, ...target, oldRole: h.role })),
    ...invitationsRevoked,
    ...keysRevoked,
  ];
}
