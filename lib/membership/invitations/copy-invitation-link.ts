import "server-only";
import type { Db } from "@/db/client";
import type { OrgInvitationIds, ProjectInvitationIds } from "./invitation-lookup";
import { reissueInvitation } from "./reissue-invitation";
import type { Actor, VerbOptions } from "../types";

/**
 * "Copy link" from a project's page: issues a new token exactly like a resend but sends no email,
 * and returns the link once for the inviter to pass on; the older link stops working. Works while
 * email delivery is failing.
 */
export async function copyInvitationLink(
  db: Db,
  actor: Actor | null,
  input: ProjectInvitationIds,
  options: VerbOptions & { baseUrl?: string } = {},
): Promise<{ url: string; expiresAt: Date }> {
  const { url, expiresAt } = await reissueInvitation(db, actor, { via: "project", ids: input }, "link", options);
  return { url: url!, expiresAt };
}

/** The same, from the organization users page (Organization Owners). */
export async function copyOrganizationInvitationLink(
  db: Db,
  actor: Actor | null,
  input: OrgInvitationIds,
  options: VerbOptions & { baseUrl?: string } = {},
): Promise<{ url: string; expiresAt: Date }> {
  const { url, expiresAt } = await reissueInvitation(db, actor, { via: "organization", ids: input }, "link", options);
  return { url: url!, expiresAt };
}
