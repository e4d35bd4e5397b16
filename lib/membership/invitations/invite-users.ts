import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projectMemberships, users } from "@/db/schema";
import { authorizeProject } from "../access";
import { inviteBatch, type BatchMember, type BatchOutcome, type InviteOptions } from "./invite-batch";
import { pendingByAddress } from "./issue-invitations";
import type { ProjectRole } from "../roles";
import { assertProjectRole } from "../role-checks";
import type { Actor } from "../types";
import type { Verb } from "../verb";
import { visibleProjects } from "../projects/visible-projects";

export type InviteOutcome =
  | { email: string; outcome: "added" }
  | { email: string; outcome: "already_collaborator" }
  /**
   * `otherProject`: the pending invitation is for another project of the organization, named when
   * the inviter may see it, else null.
   */
  | { email: string; outcome: "already_invited"; otherProject?: string | null }
  | BatchOutcome;

export interface InviteUsersInput {
  orgId: string;
  projectId: string;
  /** Raw entries as typed or pasted; each may hold several addresses. */
  emails: readonly string[];
  role: ProjectRole;
}

/**
 * Invites 1–50 addresses to a project with one role. Organization members are added at once
 * (with a notice email); everyone else gets an invitation into the organization that also
 * grants the project role. Each address gets its own outcome.
 */
export const inviteUsers: Verb<InviteUsersInput, InviteOutcome[], Actor, InviteOptions> = async (db, actor, input, options = {}) => {
  assertProjectRole(input.role);
  return inviteBatch<InviteOutcome>(
    db,
    actor,
    input.emails,
    {
      orgId: input.orgId,
      authorize: (db) => authorizeProject(db, actor, input, "members.invite"),
      // A project invitation is an organization invitation (role member) with this one grant.
      offer: async (tx) => {
        const access = await authorizeProject(tx, actor, input, "members.invite", { lock: "key share" });
        return {
          org: access.org,
          orgRole: "member",
          grants: [{ projectId: input.projectId, projectName: access.project.name, role: input.role }],
        };
      },
      classify: (tx, emails, inviter) => classifyForProject(tx, input, emails, inviter),
      added: (email) => ({ email, outcome: "added" }),
      unchanged: (email) => ({ email, outcome: "already_collaborator" }),
    },
    options,
  );
};

/** Collaborators already, members to add, pending elsewhere in the organization, or to invite. */
async function classifyForProject(
  tx: Db,
  input: InviteUsersInput,
  emails: string[],
  inviter: Actor,
): Promise<{ outcomes: InviteOutcome[]; members: BatchMember[]; toInvite: string[] }> {
  const known = await tx
    .select({ userId: users.id, email: users.email, projectRole: projectMemberships.role })
    .from(users)
    .leftJoin(projectMemberships, and(eq(projectMemberships.userId, users.id), eq(projectMemberships.projectId, input.projectId)))
    .where(inArray(users.email, emails));
  // Members of the organization, kept members until this transaction ends (a removal waits), so
  // the project membership added later always has its organization membership.
  const memberIds = new Set(
    known.length === 0
      ? []
      : (
          await tx
            .select({ userId: organizationMemberships.userId })
            .from(organizationMemberships)
            .where(
              and(
                eq(organizationMemberships.orgId, input.orgId),
                inArray(
                  organizationMemberships.userId,
                  known.map((k) => k.userId),
                ),
              ),
            )
            .orderBy(organizationMemberships.userId)
            .for("key share")
        ).map((r) => r.userId),
  );
  const byEmail = new Map(known.map((k) => [k.email, { ...k, isMember: memberIds.has(k.userId) }]));

  // One pending invitation per organization and address: it may be for another project.
  const pendingByEmail = await pendingByAddress(tx, input.orgId, emails);
  // Name another project only to someone who may see it (owners, its collaborators), a key only
  // within its grant: the guard's rule, not the creator's memberships.
  const otherProjectIds = [
    ...new Set([...pendingByEmail.values()].flatMap((p) => p.grants.map((g) => g.projectId)).filter((id) => id !== input.projectId)),
  ];
  const visibleOthers = new Set(
    otherProjectIds.length === 0 ? [] : (await visibleProjects(tx, inviter, input.orgId, otherProjectIds)).map((p) => p.id),
  );

  const outcomes: InviteOutcome[] = [];
  const members: BatchMember[] = [];
  const toInvite: string[] = [];
  for (const email of emails) {
    const user = byEmail.get(email);
    if (user?.projectRole && user.isMember) outcomes.push({ email, outcome: "already_collaborator" });
    else if (user?.isMember) members.push({ userId: user.userId, email });
    else if (pendingByEmail.has(email)) {
      const grants = pendingByEmail.get(email)!.grants;
      if (grants.some((g) => g.projectId === input.projectId)) outcomes.push({ email, outcome: "already_invited" });
      else
        outcomes.push({
          email,
          outcome: "already_invited",
          otherProject: grants.find((g) => visibleOthers.has(g.projectId))?.projectName ?? null,
        });
    } else toInvite.push(email);
  }
  return { outcomes, members, toInvite };
}
