"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import * as membership from "@/lib/membership";
import { getActor } from "@/lib/auth/session";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getDb } from "@/lib/server/database";
import { deliverAfterResponse } from "@/lib/server/mailer";

// Ids are checked for shape here and for scope in the domain (every query names the organization).
const ZId = z.string().trim().min(1, "Missing id").max(100, "Invalid id");
const ZOrgRole = z.enum(membership.ORG_ROLES, { message: "Choose Organization Owner or Organization Member" });
const ZOrg = z.object({ orgId: ZId });
const ZInvite = ZOrg.extend({
  emails: z.union([z.string().max(20_000, "That is too much text: paste at most 50 addresses"), z.array(z.string().max(1000)).max(200)]),
  orgRole: ZOrgRole,
  projects: z.array(z.object({ projectId: ZId, role: membership.ZProjectRole })).max(100, "Choose at most 100 projects").default([]),
});
const ZInvitation = ZOrg.extend({ invitationId: ZId });
const ZChangeRole = ZOrg.extend({ userId: ZId, role: ZOrgRole });

const usersPath = (orgId: string) => `/orgs/${orgId}/members`;

/** Invites addresses to the organization with a role and optional project access; one outcome per address. */
export async function inviteToOrganizationAction(raw: unknown): Promise<ActionResult<membership.OrgInviteOutcome[]>> {
  const actor = await getActor();
  const input = ZInvite.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const { emails, ...rest } = input.data;
  const result = await runDomain("inviteToOrganization", () => membership.inviteToOrganization(getDb(), actor, { ...rest, emails: typeof emails === "string" ? [emails] : emails }));
  if (result.ok) {
    deliverAfterResponse();
    revalidatePath(`/orgs/${rest.orgId}`, "layout");
  }
  return result;
}

/** Gives a member another organization role; never the last Owner away. */
export async function changeOrganizationRoleAction(raw: unknown): Promise<ActionResult<{ oldRole: membership.OrgRole; role: membership.OrgRole }>> {
  const actor = await getActor();
  const input = ZChangeRole.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("changeOrganizationRole", () => membership.changeOrganizationRole(getDb(), actor, input.data));
  if (result.ok) revalidatePath(`/orgs/${input.data.orgId}`, "layout");
  return result;
}

/** Sends an organization invitation again with a new link. */
export async function resendOrganizationInvitationAction(raw: unknown): Promise<ActionResult<{ expiresAt: Date }>> {
  const actor = await getActor();
  const input = ZInvitation.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("resendOrganizationInvitation", () => membership.resendOrganizationInvitation(getDb(), actor, input.data));
  if (result.ok) {
    deliverAfterResponse();
    revalidatePath(usersPath(input.data.orgId));
  }
  return result;
}

/** Revokes an organization invitation. */
export async function revokeOrganizationInvitationAction(raw: unknown): Promise<ActionResult<{ status: "revoked" }>> {
  const actor = await getActor();
  const input = ZInvitation.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("revokeOrganizationInvitation", () => membership.revokeOrganizationInvitation(getDb(), actor, input.data));
  if (result.ok) revalidatePath(usersPath(input.data.orgId));
  return result;
}

/** Issues a new link for an organization invitation without email and returns it once. */
export async function copyOrganizationInvitationLinkAction(raw: unknown): Promise<ActionResult<{ url: string; expiresAt: Date }>> {
  const actor = await getActor();
  const input = ZInvitation.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("copyOrganizationInvitationLink", () => membership.copyOrganizationInvitationLink(getDb(), actor, input.data));
  if (result.ok) revalidatePath(usersPath(input.data.orgId));
  return result;
}

/** The signed-in user leaves the organization (and every project in it). */
export async function leaveOrganizationAction(raw: unknown): Promise<ActionResult<{ left: string; projects: number }>> {
  const actor = await getActor();
  const input = ZOrg.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("leaveOrganization", () => membership.leaveOrganization(getDb(), actor, input.data));
  if (result.ok) revalidatePath("/orgs", "layout");
  return result;
}
