"use server";

import { z } from "zod";
import * as membership from "@/lib/membership";
import { ZEmailList, ZId, ZOrgRole, ZProjectRole, zProjectGrants } from "@/lib/membership";
import { defineAction, type Action, type Revalidation } from "@/lib/server/define-action";

const ZOrg = z.object({ orgId: ZId });
const ZInvitation = ZOrg.extend({ invitationId: ZId });

const orgLayout = (input: { orgId: string }): Revalidation => [`/orgs/${input.orgId}`, "layout"];
const usersPath = (input: { orgId: string }) => `/orgs/${input.orgId}/members`;

/** Invites addresses to the organization with a role and optional project access; one outcome per address. */
export const inviteToOrganizationAction: Action<membership.OrgInviteOutcome[]> = defineAction("inviteToOrganization", {
  schema: ZOrg.extend({ emails: ZEmailList, orgRole: ZOrgRole, projects: zProjectGrants(ZProjectRole).default([]) }),
  run: membership.inviteToOrganization,
  sendsEmail: true,
  revalidate: orgLayout,
});

/** Gives a member another organization role; never the last Owner away. */
export const changeOrganizationRoleAction: Action<{ oldRole: membership.OrgRole; role: membership.OrgRole }> = defineAction(
  "changeOrganizationRole",
  {
    schema: ZOrg.extend({ userId: ZId, role: ZOrgRole }),
    run: membership.changeOrganizationRole,
    revalidate: orgLayout,
  },
);

/** Sends an organization invitation again with a new link. */
export const resendOrganizationInvitationAction: Action<{ expiresAt: Date }> = defineAction("resendOrganizationInvitation", {
  schema: ZInvitation,
  run: membership.resendOrganizationInvitation,
  sendsEmail: true,
  revalidate: usersPath,
});

/** Revokes an organization invitation. */
export const revokeOrganizationInvitationAction: Action<{ status: "revoked" }> = defineAction("revokeOrganizationInvitation", {
  schema: ZInvitation,
  run: membership.revokeOrganizationInvitation,
  revalidate: usersPath,
});

/** Issues a new link for an organization invitation without email and returns it once. */
export const copyOrganizationInvitationLinkAction: Action<{ url: string; expiresAt: Date }> = defineAction(
  "copyOrganizationInvitationLink",
  {
    schema: ZInvitation,
    run: membership.copyOrganizationInvitationLink,
    revalidate: usersPath,
  },
);

/** The signed-in user leaves the organization (and every project in it). */
export const leaveOrganizationAction: Action<{ left: string; projects: number }> = defineAction("leaveOrganization", {
  schema: ZOrg,
  run: membership.leaveOrganization,
  revalidate: () => ["/orgs", "layout"],
});
