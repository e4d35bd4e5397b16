"use server";

import { z } from "zod";
import * as membership from "@/lib/membership";
import { ZEmailList, ZId, ZProjectRole } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

// Invitation verbs change only the pending list, which the page refetches itself (TanStack Query), so
// they send no re-rendered page back. Role changes and removals may change what the page's own
// header knows (capabilities, "last admin"), so they re-render it.

const ZProject = z.object({ orgId: ZId, projectId: ZId });
const ZInvitation = ZProject.extend({ invitationId: ZId });
const ZCollaborator = ZProject.extend({ userId: ZId });

const membersPath = (p: { orgId: string; projectId: string }) => `/orgs/${p.orgId}/projects/${p.projectId}/members`;

/** Invites addresses to the project with one role; one outcome per address. */
export const inviteUsersAction: Action<membership.InviteOutcome[]> = defineAction("inviteUsers", {
  schema: ZProject.extend({ emails: ZEmailList, role: ZProjectRole }),
  run: membership.inviteUsers,
  sendsEmail: true,
});

/** Sends an invitation again with a new link; the old link stops working. */
export const resendInvitationAction: Action<{ expiresAt: Date }> = defineAction("resendInvitation", {
  schema: ZInvitation,
  run: membership.resendInvitation,
  sendsEmail: true,
});

/** Issues a new link for an invitation without email and returns it once; the old link stops working. */
export const copyInvitationLinkAction: Action<{ url: string; expiresAt: Date }> = defineAction("copyInvitationLink", {
  schema: ZInvitation,
  run: membership.copyInvitationLink,
});

/** Revokes a pending invitation; its link then says it was revoked. */
export const revokeInvitationAction: Action<{ status: "revoked" }> = defineAction("revokeInvitation", {
  schema: ZInvitation,
  run: membership.revokeInvitation,
});

/** Gives a collaborator another project role. */
export const changeRoleAction: Action<{ oldRole: membership.ProjectRole; role: membership.ProjectRole }> = defineAction("changeRole", {
  schema: ZCollaborator.extend({ role: ZProjectRole }),
  run: membership.changeRole,
  revalidate: membersPath,
});

/** Removes a collaborator from the project. */
export const removeCollaboratorAction: Action<{ removed: string }> = defineAction("removeCollaborator", {
  schema: ZCollaborator,
  run: membership.removeCollaborator,
  revalidate: membersPath,
});

/** The signed-in user leaves the project. */
export const leaveProjectAction: Action<{ orgId: string }> = defineAction("leaveProject", {
  schema: ZProject,
  run: membership.leaveProject,
  revalidate: (input) => `/orgs/${input.orgId}/projects`,
});
