"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import * as membership from "@/lib/membership";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getActor } from "@/lib/auth/session";
import { deliverAfterResponse } from "@/lib/server/mailer";
import { getDb } from "@/lib/server/database";

// Invitation verbs change only the pending list, which the page refetches itself (TanStack Query), so
// they send no re-rendered page back. Role changes and removals may change what the page's own
// header knows (capabilities, "last admin"), so they re-render it.

// Ids are checked for shape here and for scope in the domain (every query names org and project).
const ZId = z.string().trim().min(1, "Missing id").max(100, "Invalid id");
const ZProject = z.object({ orgId: ZId, projectId: ZId });
const ZInvite = ZProject.extend({
  emails: z.union([z.string().max(20_000, "That is too much text: paste at most 50 addresses"), z.array(z.string().max(1000)).max(200)]),
  role: membership.ZProjectRole,
});
const ZInvitation = ZProject.extend({ invitationId: ZId });
const ZCollaborator = ZProject.extend({ userId: ZId });
const ZChangeRole = ZCollaborator.extend({ role: membership.ZProjectRole });

const membersPath = (p: { orgId: string; projectId: string }) => `/orgs/${p.orgId}/projects/${p.projectId}/members`;

/** Invites addresses to the project with one role; one outcome per address. */
export async function inviteUsersAction(raw: unknown): Promise<ActionResult<membership.InviteOutcome[]>> {
  const actor = await getActor();
  const input = ZInvite.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const { emails, ...rest } = input.data;
  const result = await runDomain("inviteUsers", () => membership.inviteUsers(getDb(), actor, { ...rest, emails: typeof emails === "string" ? [emails] : emails }));
  if (result.ok) deliverAfterResponse();
  return result;
}

/** Sends an invitation again with a new link; the old link stops working. */
export async function resendInvitationAction(raw: unknown): Promise<ActionResult<{ expiresAt: Date }>> {
  const actor = await getActor();
  const input = ZInvitation.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("resendInvitation", () => membership.resendInvitation(getDb(), actor, input.data));
  if (result.ok) deliverAfterResponse();
  return result;
}

/** Issues a new link for an invitation without email and returns it once; the old link stops working. */
export async function copyInvitationLinkAction(raw: unknown): Promise<ActionResult<{ url: string; expiresAt: Date }>> {
  const actor = await getActor();
  const input = ZInvitation.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  return runDomain("copyInvitationLink", () => membership.copyInvitationLink(getDb(), actor, input.data));
}

/** Revokes a pending invitation; its link then says it was revoked. */
export async function revokeInvitationAction(raw: unknown): Promise<ActionResult<{ status: "revoked" }>> {
  const actor = await getActor();
  const input = ZInvitation.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  return runDomain("revokeInvitation", () => membership.revokeInvitation(getDb(), actor, input.data));
}

/** Gives a collaborator another project role. */
export async function changeRoleAction(raw: unknown): Promise<ActionResult<{ oldRole: membership.ProjectRole; role: membership.ProjectRole }>> {
  const actor = await getActor();
  const input = ZChangeRole.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("changeRole", () => membership.changeRole(getDb(), actor, input.data));
  if (result.ok) revalidatePath(membersPath(input.data));
  return result;
}

/** Removes a collaborator from the project. */
export async function removeCollaboratorAction(raw: unknown): Promise<ActionResult<{ removed: string }>> {
  const actor = await getActor();
  const input = ZCollaborator.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("removeCollaborator", () => membership.removeCollaborator(getDb(), actor, input.data));
  if (result.ok) revalidatePath(membersPath(input.data));
  return result;
}

/** The signed-in user leaves the project. */
export async function leaveProjectAction(raw: unknown): Promise<ActionResult<{ orgId: string }>> {
  const actor = await getActor();
  const input = ZProject.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("leaveProject", () => membership.leaveProject(getDb(), actor, input.data));
  if (result.ok) revalidatePath(`/orgs/${input.data.orgId}/projects`);
  return result;
}
