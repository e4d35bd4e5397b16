import "server-only";
import type { InvitationPayload } from "@/lib/email/messages";
import { describeInvitation, type InvitationGrant } from "./invitation-grants";
import type { OrgRole } from "../roles";
import type { Actor } from "../types";

/** The invitation email's payload, the same for a first send and a resend. */
export function invitationPayload(
  inviter: Actor,
  organizationName: string,
  orgRole: OrgRole,
  grants: readonly InvitationGrant[],
  url: string,
  expiresAt: Date,
): InvitationPayload {
  const words = describeInvitation(orgRole, grants);
  return {
    url,
    inviterName: inviter.name || inviter.email,
    inviterEmail: inviter.email,
    organizationName,
    ...(words.projectName ? { projectName: words.projectName } : {}),
    ...(words.projectAccess ? { projectAccess: words.projectAccess } : {}),
    roleLabel: words.roleLabel,
    expiresAt: expiresAt.toISOString(),
  };
}

/** The role an activity record shows: the project's grant on a project page, else the organization role. */
export function describeRole(orgRole: OrgRole, grants: readonly InvitationGrant[], projectId?: string): string {
  const grant = grants.find((g) => g.projectId === projectId) ?? (orgRole === "member" && grants.length === 1 ? grants[0] : undefined);
  return grant ? grant.role : orgRole;
}
