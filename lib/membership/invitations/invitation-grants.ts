import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitationProjectGrants, projects } from "@/db/schema";
import { roleLabel, type OrgRole, type ProjectRole } from "../roles";

export interface InvitationGrant {
  projectId: string;
  projectName: string;
  role: ProjectRole;
}

/** The project grants of some invitations, by invitation id (projects in name order). */
export async function loadGrants(db: Db, invitationIds: readonly string[]): Promise<Map<string, InvitationGrant[]>> {
  const byId = new Map<string, InvitationGrant[]>(invitationIds.map((id) => [id, []]));
  if (invitationIds.length === 0) return byId;
  const rows = await db
    .select({
      invitationId: invitationProjectGrants.invitationId,
      projectId: invitationProjectGrants.projectId,
      projectName: projects.name,
      role: invitationProjectGrants.role,
    })
    .from(invitationProjectGrants)
    .innerJoin(projects, and(eq(projects.id, invitationProjectGrants.projectId), eq(projects.orgId, invitationProjectGrants.orgId)))
    .where(inArray(invitationProjectGrants.invitationId, [...invitationIds]))
    .orderBy(asc(projects.name), asc(projects.id));
  for (const r of rows) byId.get(r.invitationId)?.push({ projectId: r.projectId, projectName: r.projectName, role: r.role });
  return byId;
}

/** A project invitation is an organization invitation with role member and exactly one grant. */
export function isProjectInvitation(orgRole: OrgRole, grants: readonly { projectId: string }[], projectId?: string): boolean {
  return orgRole === "member" && grants.length === 1 && (projectId === undefined || grants[0]!.projectId === projectId);
}

export interface InvitationWords {
  /** The project a project invitation is for; null for an organization invitation. */
  projectName: string | null;
  /** The role in words: the project role of a project invitation, else the organization role. */
  roleLabel: string;
  /** "Search Prod as Project Admin, Default Project as Project Read-Only", or null. */
  projectAccess: string | null;
}

/** How emails and pages describe what an invitation gives. */
export function describeInvitation(orgRole: OrgRole, grants: readonly InvitationGrant[]): InvitationWords {
  if (isProjectInvitation(orgRole, grants)) {
    const grant = grants[0]!;
    return { projectName: grant.projectName, roleLabel: roleLabel(grant.role), projectAccess: null };
  }
  return {
    projectName: null,
    roleLabel: roleLabel(orgRole),
    projectAccess: grants.length === 0 ? null : grants.map((g) => `${g.projectName} as ${roleLabel(g.role)}`).join(", "),
  };
}
