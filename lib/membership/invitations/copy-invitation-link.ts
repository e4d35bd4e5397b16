import "server-only";
import type { Db } from "@/db/client";
import { scopedInvitationVerb, type InvitationScope } from "./invitation-lookup";
import { reissueInvitation } from "./reissue-invitation";
import type { Actor, VerbOptions } from "../types";

async function copyLink(db: Db, actor: Actor | null, scope: InvitationScope, options?: VerbOptions & { baseUrl?: string }) {
  const { url, expiresAt } = await reissueInvitation(db, actor, scope, "link", options);
  return { url: url!, expiresAt };
}

/**
 * "Copy link" from a project's page: issues a new token exactly like a resend but sends no email,
 * and returns the link once for the inviter to pass on; the older link stops working. Works while
 * email delivery is failing.
 */
export const copyInvitationLink = scopedInvitationVerb("project", copyLink);

/** The same, from the organization users page (Organization Owners). */
export const copyOrganizationInvitationLink = scopedInvitationVerb("organization", copyLink);
