import "server-only";
import type { Db } from "@/db/client";
import { organizations, users } from "@/db/schema";
import { eq } from "drizzle-orm";
import { normalizeEmail } from "../email-list";
import { roleLabel, type OrgRole } from "../roles";
import type { Actor, VerbOptions } from "../types";
import { describeInvitation, loadGrants } from "./invitation-grants";
import { isExpired } from "./invitation-rules";
import { findByToken } from "./invitee-lock";

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
/**
 * What the landing page shows for a token and a viewer. Reading changes nothing, so link
 * scanners that open the page cannot use the invitation up.
 */
export async function getInvitationByToken(
  db: Db,
  token: string,
  viewer: Actor | null,
  options: VerbOptions = {},
): Promise<InvitationView> {
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
