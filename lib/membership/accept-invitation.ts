import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, organizationMemberships, organizations, projectMemberships, projects, users } from "@/db/schema";
import { recordActivity } from "./activity-log";
import { normalizeEmail } from "./email-list";
import { DomainError } from "./errors";
import { isExpired } from "./invitation-rules";
import { roleLabel, type ProjectRole } from "./roles";
import { hashInvitationToken, isWellFormedToken } from "./tokens";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

export type InvitationState = "valid" | "expired" | "revoked" | "accepted" | "declined" | "wrong_account" | "sign_in";

export type InvitationView =
  | { state: "unknown" }
  | {
      state: InvitationState;
      email: string;
      role: ProjectRole;
      roleLabel: string;
      orgId: string;
      orgName: string;
      projectId: string;
      projectName: string;
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
    .select({ orgName: organizations.name, projectName: projects.name, inviterName: users.name, inviterEmail: users.email })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.orgId))
    .leftJoin(users, eq(users.id, invitation.invitedById ?? ""))
    .where(eq(projects.id, invitation.projectId));
  if (!context) return { state: "unknown" };
  let state: InvitationState;
  if (invitation.status !== "pending") state = invitation.status;
  else if (isExpired(invitation.expiresAt, now)) state = "expired";
  else if (!viewer) state = "sign_in";
  else if (normalizeEmail(viewer.email) !== invitation.email) state = "wrong_account";
  else state = "valid";
  return {
    state,
    email: invitation.email,
    role: invitation.role,
    roleLabel: roleLabel(invitation.role),
    orgId: invitation.orgId,
    orgName: context.orgName,
    projectId: invitation.projectId,
    projectName: context.projectName,
    inviterName: context.inviterName || context.inviterEmail,
    expiresAt: invitation.expiresAt,
  };
}

/** Loads the invitation for the viewer under a row lock and refuses every state but "yours and pending". */
async function lockForInvitee(tx: Db, actor: Actor | null, token: string, now: Date) {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in with the invited email address to answer this invitation.");
  const invitation = await findByToken(tx, token, true);
  if (!invitation) throw invalidLink();
  if (normalizeEmail(actor.email) !== invitation.email) {
    throw new DomainError("FORBIDDEN", `This invitation was sent to ${invitation.email}. Sign in as that address to answer it.`);
  }
  return { invitation, isExpiredNow: isExpired(invitation.expiresAt, now) };
}

/**
 * Accepts an invitation in one transaction: joins the organization if needed, adds the project
 * role and marks it accepted. Accepting again is harmless.
 */
export async function acceptInvitation(
  db: Db,
  actor: Actor | null,
  input: { token: string },
  options: VerbOptions = {},
): Promise<{ orgId: string; projectId: string }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const { invitation, isExpiredNow } = await lockForInvitee(tx, actor, input.token, now);
    const where = { orgId: invitation.orgId, projectId: invitation.projectId };
    if (invitation.status === "accepted") {
      if (invitation.acceptedById === actor!.id) return where;
      throw new DomainError("CONFLICT", "This invitation has already been accepted.");
    }
    if (invitation.status === "revoked") throw new DomainError("CONFLICT", "This invitation was revoked. Ask the project's admin for a new one.");
    if (invitation.status === "declined") throw new DomainError("CONFLICT", "This invitation was declined. Ask the project's admin for a new one.");
    if (isExpiredNow) throw new DomainError("EXPIRED", "This invitation has expired. Ask the project's admin to resend it.");

    await tx.insert(organizationMemberships).values({ orgId: invitation.orgId, userId: actor!.id, role: "member", createdAt: now }).onConflictDoNothing();
    // Someone added to the project since the invitation keeps the role they were given.
    await tx
      .insert(projectMemberships)
      .values({ ...where, userId: actor!.id, role: invitation.role, createdAt: now })
      .onConflictDoNothing();
    await tx.update(invitations).set({ status: "accepted", acceptedAt: now, acceptedById: actor!.id }).where(eq(invitations.id, invitation.id));
    await recordActivity(tx, actor!, [{ ...where, action: "invitation.accepted", targetEmail: invitation.email, targetUserId: actor!.id, newRole: invitation.role }], now);
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
    await recordActivity(tx, actor!, [{ orgId: invitation.orgId, projectId: invitation.projectId, action: "invitation.declined", targetEmail: invitation.email, oldRole: invitation.role }], now);
    return { status: "declined" as const };
  });
}
