import "server-only";
import { authorizeOrg } from "../access";
import { aboutMember, recordActivity, type ActivityEntry } from "../activity/record-activity";
import { notFound } from "../errors";
import { endOrganizationMembership } from "./end-organization-membership";
import { assertNotLastOwner, findOrgMember } from "./org-member-lookup";
import { revokeInvitationsTo } from "../invitations/revoke-invitations-to";
import { transactionalVerb } from "../verb";

/**
 * Removes someone from an organization (Organization Owners only): every project membership
 * there goes with it (the database cascades), and pending invitations to them and the API keys
 * they made there are revoked.
 * Refused when it would leave the organization without an owner or a project without an admin.
 */
export const removeOrganizationMember = transactionalVerb(
  async (tx, actor, input: { orgId: string; userId: string }, now): Promise<{ removed: string; projects: number }> => {
    await authorizeOrg(tx, actor, input.orgId, "org.removeMember", { lock: true });
    const target = await findOrgMember(tx, input.orgId, input.userId);
    if (!target) throw notFound("member");
    if (target.role === "owner")
      await assertNotLastOwner(tx, input.orgId, `${target.email} is the only Organization Owner. Make someone else an owner first.`);
    const { held, keysRevoked } = await endOrganizationMembership(
      tx,
      { orgId: input.orgId, userId: target.userId, email: target.email },
      (name) => `${target.email} is the only Project Admin of ${name}. Make another collaborator a Project Admin first.`,
      now,
    );
    const invitationsRevoked = await revokeInvitationsTo(tx, input.orgId, target.email, now);
    const log: ActivityEntry[] = [
      { orgId: input.orgId, action: "org_member.removed", ...aboutMember(target) },
      ...held.map((h) => ({
        orgId: input.orgId,
        projectId: h.projectId,
        action: "member.removed" as const,
        targetEmail: target.email,
        targetUserId: target.userId,
        oldRole: h.role,
      })),
      ...invitationsRevoked,
      ...keysRevoked,
    ];
    await recordActivity(tx, actor!, log, now);
    return { removed: target.email, projects: held.length };
  },
);
