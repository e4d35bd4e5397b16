import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, organizationMemberships, organizations, projectMemberships, projects, users } from "@/db/schema";
import { recordActivity, type ActivityEntry } from "./activity-log";
import { normalizeEmail } from "./email-list";
import { DomainError } from "./errors";
import { isExpired } from "./invitation-rules";
import { describeInvitation, isProjectInvitation, loadGrants } from "./invitation-grants";
import { describeRole } from "./reissue-invitation";
import { roleLabel, type OrgRole } from "./roles";
import { hashInvitationToken, isWellFormedToken } from "./tokens";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

export type InvitationState = "valid" | "expired" | "revoked" | "accepted" | "declined" | "wrong_account" | "sign_in";

export type InvitationView =
  | { state: "unknown" }
  | {
      state: InvitationState;
      email: string;
      orgRole: OrgRole;
      /** What the invitee becomes: the project role of a project invitation, else the organization role. */
      roleLabel: string;
      orgId: string;
      orgName: string;
      /** The project of a project invitation; null for an organization invitation. */
      projectId: string | null;
      projectName: string | null;
      /** Every project the invitation grants, with its role in words. */
      grants: { projectId: string; projectName: string; roleLabel: string }[];
      inviterName: string | null;
      expiresAt: Date;
    };

const invalidLink = () => new DomainError("NOT_FOUND", "This invitation link is not valid.");

async function findByToken(db: Db, token: string, lock: boolean) {
  if (!isWellFormedToken(token)) return null;
  const query = db.select().from(invitations).where(eq(invitations.tokenHash, hashInvitationToken(token)));
  const rows = lock ? await query.for("update") : await query;
  return rows[0] ?? null;
}

/**
 * What the landing page shows for a token and a viewer. Reading changes nothing, so link
 * scanners that open the page cannot use the invitation up.
 */
export async function getInvitationByToken(db: Db, token: string, viewer: Actor | null, options: VerbOptions = {}): Promise<InvitationView> {
  const now = options.now ?? new Date();
  const invitation = await findByToken(db, token, false);
  if (!invitation) return { state: "unknown" };
  const [context] = await db
    .select({ orgName: organizations.name, inviterName: users.name, inviterEmail: users.email })
    .from(organizations)
    .leftJoin(users, eq(users.id, invitation.invitedById ?? ""))
    .where(eq(organizations.id, invitation.orgId));
  if (!context) return { state: "unknown" };
  const grants = (await loadGrants(db, [invitation.id])).get(invitation.id) ?? [];
  const words = describeInvitation(invitation.orgRole, grants);
  let state: InvitationState;
  if (invitation.status !== "pending") state = invitation.status;
  else if (isExpired(invitation.expiresAt, now)) state = "expired";
  else if (!viewer) state = "sign_in";
  else if (normalizeEmail(viewer.email) !== invitation.email) state = "wrong_account";
  else state = "valid";
  return {
    state,
    email: invitation.email,
    orgRole: invitation.orgRole,
    roleLabel: words.roleLabel,
    orgId: invitation.orgId,
    orgName: context.orgName,
    projectId: words.projectName ? grants[0]!.projectId : null,
    projectName: words.projectName,
    grants: grants.map((g) => ({ projectId: g.projectId, projectName: g.projectName, roleLabel: roleLabel(g.role) })),
    inviterName: context.inviterName || context.inviterEmail,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * Loads the invitation for the viewer under a row lock and refuses every state but "yours and
 * pending". The granted projects are locked (FOR KEY SHARE, by id) before the invitation, as every
 * other verb locks a project before its invitations: answering writes rows that point at those
 * projects, and a deletion holding a project FOR UPDATE while it revokes the invitation would
 * otherwise deadlock with an answer holding the invitation while it waits for the project.
 */
async function lockForInvitee(tx: Db, actor: Actor | null, token: string, now: Date) {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in with the invited email address to answer this invitation.");
  const seen = await findByToken(tx, token, false);
  if (!seen) throw invalidLink();
  const granted = [...new Set(((await loadGrants(tx, [seen.id])).get(seen.id) ?? []).map((g) => g.projectId))].sort();
  if (granted.length > 0) await tx.select({ id: projects.id }).from(projects).where(inArray(projects.id, granted)).orderBy(asc(projects.id)).for("key share");
  const invitation = await findByToken(tx, token, true);
  if (!invitation) throw invalidLink();
  if (normalizeEmail(actor.email) !== invitation.email) {
    throw new DomainError("FORBIDDEN", `This invitation was sent to ${invitation.email}. Sign in as that address to answer it.`);
  }
  return { invitation, isExpiredNow: isExpired(invitation.expiresAt, now) };
}

/**
 * Accepts an invitation in one transaction: joins the organization with the invited role (if
 * not a member yet), adds every granted project role and marks it accepted. Accepting again is
 * harmless. Returns where to go: the project of a project invitation, else the organization.
 */
export async function acceptInvitation(
  db: Db,
  actor: Actor | null,
  input: { token: string },
  options: VerbOptions = {},
): Promise<{ orgId: string; projectId: string | null }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { invitation, isExpiredNow } = await lockForInvitee(tx, actor, input.token, now);
    const grants = (await loadGrants(tx, [invitation.id])).get(invitation.id) ?? [];
    const where = { orgId: invitation.orgId, projectId: isProjectInvitation(invitation.orgRole, grants) ? grants[0]!.projectId : null };
    if (invitation.status === "accepted") {
      if (invitation.acceptedById === actor!.id) return where;
      throw new DomainError("CONFLICT", "This invitation has already been accepted.");
    }
    if (invitation.status === "revoked") throw new DomainError("CONFLICT", "This invitation was revoked. Ask the person who invited you for a new one.");
    if (invitation.status === "declined") throw new DomainError("CONFLICT", "This invitation was declined. Ask the person who invited you for a new one.");
    if (isExpiredNow) throw new DomainError("EXPIRED", "This invitation has expired. Ask the person who invited you to resend it.");

    // Someone who joined meanwhile keeps their organization role; the invitation never lowers it.
    await tx.insert(organizationMemberships).values({ orgId: invitation.orgId, userId: actor!.id, role: invitation.orgRole, createdAt: now }).onConflictDoNothing();
    if (invitation.orgRole === "owner") {
      await tx
        .update(organizationMemberships)
        .set({ role: "owner" })
        .where(and(eq(organizationMemberships.orgId, invitation.orgId), eq(organizationMemberships.userId, actor!.id)));
    }
    // Someone added to a project since the invitation keeps the role they were given.
    if (grants.length > 0) {
      await tx
        .insert(projectMemberships)
        .values(grants.map((g) => ({ orgId: invitation.orgId, projectId: g.projectId, userId: actor!.id, role: g.role, createdAt: now })))
        .onConflictDoNothing();
    }
    await tx.update(invitations).set({ status: "accepted", acceptedAt: now, acceptedById: actor!.id }).where(eq(invitations.id, invitation.id));
    const log: ActivityEntry[] = isProjectInvitation(invitation.orgRole, grants)
      ? [{ orgId: invitation.orgId, projectId: grants[0]!.projectId, action: "invitation.accepted", targetEmail: invitation.email, targetUserId: actor!.id, newRole: grants[0]!.role }]
      : [
          { orgId: invitation.orgId, action: "invitation.accepted", targetEmail: invitation.email, targetUserId: actor!.id, newRole: invitation.orgRole },
          ...grants.map((g) => ({ orgId: invitation.orgId, projectId: g.projectId, action: "member.added" as const, targetEmail: invitation.email, targetUserId: actor!.id, newRole: g.role })),
        ];
    await recordActivity(tx, actor!, log, now);
    return where;
  });
}

/** Declines an invitation addressed to the signed-in user; it leaves the pending list. */
export async function declineInvitation(db: Db, actor: Actor | null, input: { token: string }, options: VerbOptions = {}): Promise<{ status: "declined" }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { invitation } = await lockForInvitee(tx, actor, input.token, now);
    if (invitation.status === "declined") return { status: "declined" as const };
    if (invitation.status !== "pending") throw new DomainError("CONFLICT", `This invitation was already ${invitation.status}.`);
    await tx.update(invitations).set({ status: "declined", declinedAt: now }).where(eq(invitations.id, invitation.id));
    const grants = (await loadGrants(tx, [invitation.id])).get(invitation.id) ?? [];
    const projectId = isProjectInvitation(invitation.orgRole, grants) ? grants[0]!.projectId : null;
    await recordActivity(tx, actor!, [{ orgId: invitation.orgId, projectId, action: "invitation.declined", targetEmail: invitation.email, oldRole: describeRole(invitation.orgRole, grants) }], now);
    return { status: "declined" as const };
  });
}
