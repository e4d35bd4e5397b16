import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projects, users } from "@/db/schema";
import { authorizeOrg, isUuid } from "../access";
import { DomainError } from "../errors";
import type { InvitationGrant } from "./invitation-grants";
import { inviteBatch, type BatchMember, type BatchOutcome, type InviteOptions } from "./invite-batch";
import { pendingByAddress } from "./issue-invitations";
import { ORG_ROLES, PROJECT_ROLES, type OrgRole, type ProjectRole } from "../roles";
import type { Actor } from "../types";
import type { Verb } from "../verb";

export type OrgInviteOutcome =
  /** An organization member already: given the project access at once (the projects newly added). */
  | { email: string; outcome: "added"; projects: string[] }
  | { email: string; outcome: "already_member" }
  | { email: string; outcome: "already_invited" }
  | BatchOutcome;

export interface InviteToOrganizationInput {
  orgId: string;
  /** Raw entries as typed or pasted; each may hold several addresses. */
  emails: readonly string[];
  orgRole: OrgRole;
  /** Optional project access: some projects of the organization, a project role for each. */
  projects?: readonly { projectId: string; role: ProjectRole }[];
}

/** A project that is not this organization's is "not found", like any id one may not see. */
const unknownProject = () =>
  new DomainError("NOT_FOUND", "One of the chosen projects was not found in this organization.", { projects: ["Unknown project"] });

function invalid(message: string, field: string, detail: string): DomainError {
  return new DomainError("INVALID", message, { [field]: [detail] });
}

/**
 * Invites 1–50 addresses to an organization (Organization Owners only) with one organization
 * role and optional project access. One invitation per address carries all of it. Existing
 * members get the project access at once (with a notice email); each address gets its outcome.
 */
export const inviteToOrganization: Verb<InviteToOrganizationInput, OrgInviteOutcome[], Actor, InviteOptions> = async (
  db,
  actor,
  input,
  options = {},
) => {
  if (!ORG_ROLES.includes(input.orgRole)) throw invalid("Choose Organization Owner or Organization Member.", "orgRole", "Unknown role");
  const wanted = input.projects === undefined ? [] : input.projects;
  if (!Array.isArray(wanted)) throw invalid("Project access is a list of projects with a role each.", "projects", "Not a list");
  if (wanted.length > 100) throw invalid("Choose at most 100 projects.", "projects", "At most 100 projects");
  for (const p of wanted as unknown[]) {
    const g = p as { projectId?: unknown; role?: unknown } | null;
    if (!g || typeof g !== "object" || !PROJECT_ROLES.includes(g.role as ProjectRole)) {
      throw invalid("Choose Project Admin, Project Read-Write or Project Read-Only for each project.", "projects", "Unknown project role");
    }
    if (!isUuid(g.projectId)) throw unknownProject();
  }
  const projectIds = wanted.map((g) => g.projectId.toLowerCase());
  if (new Set(projectIds).size !== projectIds.length)
    throw invalid("Each project can be chosen once.", "projects", "A project is chosen twice");

  return inviteBatch<OrgInviteOutcome>(
    db,
    actor,
    input.emails,
    {
      orgId: input.orgId,
      authorize: (db) => authorizeOrg(db, actor, input.orgId, "org.invite"),
      offer: async (tx) => {
        const access = await authorizeOrg(tx, actor, input.orgId, "org.invite");
        // The projects must be this organization's, and stay until this transaction ends.
        const found =
          projectIds.length === 0
            ? []
            : await tx
                .select({ id: projects.id, name: projects.name })
                .from(projects)
                .where(and(eq(projects.orgId, input.orgId), inArray(projects.id, projectIds)))
                .orderBy(projects.id)
                .for("key share");
        if (found.length !== projectIds.length) throw unknownProject();
        const nameOf = new Map(found.map((p) => [p.id, p.name]));
        const grants: InvitationGrant[] = wanted.map((g) => ({
          projectId: g.projectId.toLowerCase(),
          projectName: nameOf.get(g.projectId.toLowerCase())!,
          role: g.role,
        }));
        return { org: access.org, orgRole: input.orgRole, grants };
      },
      classify: (tx, emails) => classifyForOrganization(tx, input.orgId, emails),
      added: (email, projectNames) => ({ email, outcome: "added", projects: projectNames }),
      unchanged: (email) => ({ email, outcome: "already_member" }),
    },
    options,
  );
};

/** Members (to be given the project access), pending already, or to invite. */
async function classifyForOrganization(
  tx: Db,
  orgId: string,
  emails: string[],
): Promise<{ outcomes: OrgInviteOutcome[]; members: BatchMember[]; toInvite: string[] }> {
  // Members stay members until this transaction ends (a removal waits), so the project access
  // given later always has its organization membership.
  const known = await tx
    .select({ userId: users.id, email: users.email, orgRole: organizationMemberships.role })
    .from(users)
    .innerJoin(organizationMemberships, and(eq(organizationMemberships.userId, users.id), eq(organizationMemberships.orgId, orgId)))
    .where(inArray(users.email, emails))
    .orderBy(organizationMemberships.userId)
    .for("key share", { of: organizationMemberships });
  const memberByEmail = new Map(known.map((k) => [k.email, k]));
  const pending = await pendingByAddress(tx, orgId, emails);

  const outcomes: OrgInviteOutcome[] = [];
  const members: BatchMember[] = [];
  const toInvite: string[] = [];
  for (const email of emails) {
    const member = memberByEmail.get(email);
    if (member) members.push({ userId: member.userId, email });
    else if (pending.has(email)) outcomes.push({ email, outcome: "already_invited" });
    else toInvite.push(email);
  }
  return { outcomes, members, toInvite };
}
