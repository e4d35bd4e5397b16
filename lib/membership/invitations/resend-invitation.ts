import "server-only";
import type { Db } from "@/db/client";
import { scopedInvitationVerb, type InvitationScope } from "./invitation-lookup";
import { reissueInvitation } from "./reissue-invitation";
import type { EmailLimits } from "../email-limits";
import type { Actor, VerbOptions } from "../types";

async function resend(
  db: Db,
  actor: Actor | null,
  scope: InvitationScope,
  options?: VerbOptions & { baseUrl?: string; limits?: EmailLimits },
) {
  const { expiresAt } = await reissueInvitation(db, actor, scope, "email", options);
  return { expiresAt };
}

/**
 * Sends a pending or expired invitation again (from a project's page) with a new token and a new
 * 48-hour window; the old link stops working. At most once a minute per invitation.
 */
export const resendInvitation = scopedInvitationVerb("project", resend);

/** The same, from the organization users page (Organization Owners). */
export const resendOrganizationInvitation = scopedInvitationVerb("organization", resend);
