import "server-only";
import type { Db } from "@/db/client";
import type { OrgInvitationIds, ProjectInvitationIds } from "./invitation-lookup";
import { reissueInvitation } from "./reissue-invitation";
import type { EmailLimits } from "../email-limits";
import type { Actor, VerbOptions } from "../types";

/**
 * Sends a pending or expired invitation again (from a project's page) with a new token and a new
 * 48-hour window; the old link stops working. At most once a minute per invitation.
 */
export async function resendInvitation(
  db: Db,
  actor: Actor | null,
  input: ProjectInvitationIds,
  options: VerbOptions & { baseUrl?: string; limits?: EmailLimits } = {},
): Promise<{ expiresAt: Date }> {
  const { expiresAt } = await reissueInvitation(db, actor, { via: "project", ids: input }, "email", options);
  return { expiresAt };
}

/** The same, from the organization users page (Organization Owners). */
export async function resendOrganizationInvitation(
  db: Db,
  actor: Actor | null,
  input: OrgInvitationIds,
  options: VerbOptions & { baseUrl?: string; limits?: EmailLimits } = {},
): Promise<{ expiresAt: Date }> {
  const { expiresAt } = await reissueInvitation(db, actor, { via: "organization", ids: input }, "email", options);
  return { expiresAt };
}
