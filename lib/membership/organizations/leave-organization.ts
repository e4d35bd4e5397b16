import "server-only";
import { authorizeOrg } from "../access";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { endOrganizationMembership } from "./end-organization-membership";
import { LAST_OWNER_MESSAGE } from "../messages";
import { assertNotLastOwner } from "./org-member-lookup";
import { transactionalVerb } from "../verb";

/**
 * The signed-in user leaves an organization, and with it every project there; the API keys they
 * made there are revoked. Refused for the last Organization Owner, and for the last Project Admin
 * of a project.
 */
export const leaveOrganization = transactionalVerb(
  async (tx, actor, input: { orgId: string }, now): Promise<{ left: string; projects: number }> => {
    const access = await authorizeOrg(tx, actor, input.orgId, "org.leave", { lock: true });
    if (access.orgRole === "owner") await assertNotLastOwner(tx, input.orgId, LAST_OWNER_MESSAGE);
    const person = { orgId: input.orgId, userId: actor!.id, email: actor!.email };
    const { held, keysRevoked } = await endOrganizationMembership(
      tx,
      person,
      (name) => `You are the only Project Admin of ${name}. Make another collaborator a Project Admin before you leave.`,
      now,
    );
    const log: ActivityEntry[] = [
      { orgId: input.orgId, action: "org_member.left", targetEmail: actor!.email, targetUserId: actor!.id, oldRole: access.orgRole },
      ...held.map((h) => ({
        orgId: input.orgId,
        projectId: h.projectId,
        action: "member.left" as const,
        targetEmail: actor!.email,
        targetUserId: actor!.id,
        oldRole: h.role,
      })),
      ...keysRevoked,
    ];
    await recordActivity(tx, actor!, log, now);
    return { left: access.org.name, projects: held.length };
  },
);
