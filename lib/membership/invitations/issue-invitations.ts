import "server-only";
import { randomUUID } from "node:crypto";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitationProjectGrants, invitations, organizationMemberships, projects } from "@/db/schema";
import type { OutboxMessage } from "@/lib/email/outbox";
import type { ActivityEntry } from "../activity/record-activity";
import { claimOrganizationEmails, type EmailLimits } from "../email-limits";
import type { InvitationGrant } from "./invitation-grants";
import { invitationExpiry, ORG_SEAT_LIMIT } from "./invitation-rules";
import { invitationUrl } from "../links";
import { describeRole, invitationPayload } from "./invitation-payload";
import type { OrgRole } from "../roles";
import { generateInvitationToken } from "../tokens";
import { RetryStrictly, type Claims } from "../transaction";
import type { Actor } from "../types";

export interface PendingForAddress {
  invitationId: string;
  grants: { projectId: string; projectName: string }[];
}

/**
 * Locks each address of a batch for this organization until the transaction ends: two invites of
 * one address (to any project, by anyone) take turns, so "one pending invitation per organization
 * and address" is checked and kept exactly, while invites of other people run side by side. Taken
 * in one statement, in key order, so two batches sharing addresses cannot deadlock. First among
 * an invite's locks; then its projects, the members it adds, the seats, the limit counters.
 */
export async function lockAddresses(tx: Db, orgId: string, emails: readonly string[]): Promise<void> {
  if (emails.length === 0) return;
  const keys = sql.join(
    emails.map((e) => sql`(${`invite:${orgId}:${e}`})`),
    sql`, `,
  );
  await tx.execute(
    sql`select pg_advisory_xact_lock(k) from (select distinct hashtextextended(a, 0) as k from (values ${keys}) as t(a) order by k) as ordered`,
  );
}

/**
 * Locks the organization's seat count (members + pending invitations) until the transaction ends:
 * only transactions that add pending invitations take it, so the seat limit holds exactly without
 * the organization row lock that every organization-level verb takes. Hold it briefly: take it
 * after everything an invite reads, just before it counts seats and writes.
 */
export async function lockSeats(tx: Db, orgId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`seats:${orgId}`}, 0))`);
}

/** Pending invitations of an organization for some addresses, with the projects each grants. Callers hold the address locks. */
export async function pendingByAddress(tx: Db, orgId: string, emails: readonly string[]): Promise<Map<string, PendingForAddress>> {
  const rows = await tx
    .select({ id: invitations.id, email: invitations.email, projectId: invitationProjectGrants.projectId, projectName: projects.name })
    .from(invitations)
    .leftJoin(invitationProjectGrants, eq(invitationProjectGrants.invitationId, invitations.id))
    .leftJoin(projects, eq(projects.id, invitationProjectGrants.projectId))
    .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending"), inArray(invitations.email, [...emails])));
  const byEmail = new Map<string, PendingForAddress>();
  for (const r of rows) {
    const entry = byEmail.get(r.email) ?? { invitationId: r.id, grants: [] };
    if (r.projectId && r.projectName !== null) entry.grants.push({ projectId: r.projectId, projectName: r.projectName });
    byEmail.set(r.email, entry);
  }
  return byEmail;
}

/** Members plus pending invitations of an organization against its seat limit; callers hold the seat lock. */
export async function seatUsage(tx: Db, orgId: string): Promise<{ used: number; free: number }> {
  // Both counts in one statement (one snapshot, one round trip).
  const members = tx.select({ n: count() }).from(organizationMemberships).where(eq(organizationMemberships.orgId, orgId));
  const open = tx
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.status, "pending")));
  const result = await tx.execute(sql`select ((${members}) + (${open}))::int as used`);
  const used = Number((result as unknown as { rows: { used: number }[] }).rows[0]?.used ?? 0);
  return { used, free: Math.max(0, ORG_SEAT_LIMIT - used) };
}

/**
 * With early claims: takes the seat lock (held to commit) and keeps in `toInvite` only the
 * addresses that fit under the seat limit; each one past it comes back with its own refusal, so
 * the rest still go out. With late claims it does nothing: `claimLate` counts at the end.
 */
export async function keepWithinSeats(
  tx: Db,
  org: { id: string; name: string },
  toInvite: string[],
  claims: Claims = "early",
): Promise<{ email: string; outcome: "limit_reached"; reason: string }[]> {
  if (toInvite.length === 0 || claims === "late") return [];
  await lockSeats(tx, org.id);
  const { used, free } = await seatUsage(tx, org.id);
  return toInvite.splice(free).map((email) => ({ email, outcome: "limit_reached" as const, reason: seatLimitReason(org.name, used) }));
}

/**
 * The late claims, just before commit: the seat lock and count (the new invitations included),
 * then the organization's email counter. Past either limit it throws RetryStrictly, and the
 * invite runs again with early claims. `beforeClaims` lets tests pause an invite at this point.
 */
export async function claimLate(
  tx: Db,
  claims: Claims,
  demand: { orgId: string; seats: number; emails: number },
  limits: EmailLimits,
  now: Date,
  beforeClaims?: () => Promise<void>,
): Promise<void> {
  if (claims === "early") return;
  await beforeClaims?.();
  if (demand.seats > 0) {
    await lockSeats(tx, demand.orgId);
    if ((await seatUsage(tx, demand.orgId)).used > ORG_SEAT_LIMIT) throw new RetryStrictly();
  }
  if (!(await claimOrganizationEmails(tx, demand.orgId, demand.emails, limits, now))) throw new RetryStrictly();
}

export function seatLimitReason(orgName: string, used: number): string {
  return `${orgName} has ${used} of ${ORG_SEAT_LIMIT} members and pending invitations. Revoke unused invitations to make room.`;
}

/**
 * Writes one invitation per address (the organization role and every project grant), and the
 * emails and activity records that go with them, all in the caller's transaction.
 */
export async function createInvitations(
  tx: Db,
  args: {
    org: { id: string; name: string };
    inviter: Actor;
    emails: readonly string[];
    orgRole: OrgRole;
    grants: readonly InvitationGrant[];
    now: Date;
    baseUrl?: string;
  },
): Promise<{ created: { email: string; invitationId: string }[]; emails: OutboxMessage[]; log: ActivityEntry[] }> {
  if (args.emails.length === 0) return { created: [], emails: [], log: [] };
  const expiresAt = invitationExpiry(args.now);
  // The ids are made here, so the invitations and their grants go out in one statement.
  const prepared = args.emails.map((email) => ({ email, invitationId: randomUUID(), ...generateInvitationToken() }));
  const insertInvitations = tx.insert(invitations).values(
    prepared.map((p) => ({
      id: p.invitationId,
      orgId: args.org.id,
      email: p.email,
      orgRole: args.orgRole,
      tokenHash: p.tokenHash,
      invitedById: args.inviter.id,
      expiresAt,
      lastSentAt: args.now,
      createdAt: args.now,
    })),
  );
  if (args.grants.length === 0) await insertInvitations;
  else {
    // A data-modifying WITH: the grants' foreign keys are checked at the end of the statement, when
    // the invitations are there.
    const created = tx.$with("created").as(insertInvitations.returning({ id: invitations.id }));
    await tx
      .with(created)
      .insert(invitationProjectGrants)
      .values(
        prepared.flatMap((p) =>
          args.grants.map((g) => ({ invitationId: p.invitationId, orgId: args.org.id, projectId: g.projectId, role: g.role })),
        ),
      );
  }
  const projectId = args.orgRole === "member" && args.grants.length === 1 ? args.grants[0]!.projectId : null;
  const role = describeRole(args.orgRole, args.grants);
  const created = prepared.map((p) => ({ email: p.email, invitationId: p.invitationId }));
  return {
    created,
    emails: prepared.map((p) => ({
      to: p.email,
      kind: "invitation" as const,
      invitationId: p.invitationId,
      payload: invitationPayload(args.inviter, args.org.name, args.orgRole, args.grants, invitationUrl(p.token, args.baseUrl), expiresAt),
    })),
    log: prepared.map((p) => ({
      orgId: args.org.id,
      projectId,
      action: "invitation.created" as const,
      targetEmail: p.email,
      newRole: role,
    })),
  };
}
