import { and, asc, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, organizations } from "@/db/schema";
import { authorizeOrg, authorizeProject } from "./access";
import { DomainError } from "./errors";
import { countAdmins } from "./collaborator-lookup";
import { canOnProject, type ProjectAction } from "./permissions";
import type { OrgRole } from "./roles";
import type { Actor } from "./types";
import { visibleProjects, type VisibleProject } from "./visible-projects";

export type { VisibleProject };

export interface VisibleOrganization {
  id: string;
  name: string;
  role: OrgRole;
}

/** The organizations the actor belongs to. */
export async function listOrganizations(db: Db, actor: Actor | null): Promise<VisibleOrganization[]> {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  return db
    .select({ id: organizations.id, name: organizations.name, role: organizationMemberships.role })
    .from(organizationMemberships)
    .innerJoin(organizations, eq(organizations.id, organizationMemberships.orgId))
    .where(and(eq(organizationMemberships.userId, actor.id), actor.apiKey ? eq(organizations.id, actor.apiKey.orgId) : undefined))
    .orderBy(asc(organizations.name))
    .then((rows) => rows.flatMap((r) => (actor.apiKey ? (r.role === "owner" && actor.apiKey.scope === "organization" ? [r] : [{ ...r, role: "member" as const }]) : [r])));
}

/** Projects of an organization the actor may see: owners see all, members those they collaborate on, keys their grant. */
export async function listProjects(db: Db, actor: Actor | null, input: { orgId: string }): Promise<{ org: { id: string; name: string; role: OrgRole }; projects: VisibleProject[] }> {
  const access = await authorizeOrg(db, actor, input.orgId, "org.view");
  return { org: { ...access.org, role: access.orgRole }, projects: await visibleProjects(db, actor!, input.orgId) };
}

const CAPABILITIES = ["invitations.view", "activity.view", "members.invite", "invitations.manage", "members.editRole", "members.remove", "project.leave"] as const;

export type Capabilities = Record<(typeof CAPABILITIES)[number], boolean>;

/** A project header plus what the actor may do there, for the UI to decide what to show. */
export async function getProjectOverview(db: Db, actor: Actor | null, input: { orgId: string; projectId: string }) {
  const access = await authorizeProject(db, actor, input, "project.view");
  const can = Object.fromEntries(CAPABILITIES.map((a: ProjectAction) => [a, canOnProject(access, a)])) as Capabilities;
  // Only an admin can be the last one: nobody else pays for the count.
  const isLastAdmin = access.projectRole === "admin" && (await countAdmins(db, input.projectId)) <= 1;
  return { ...access, can, isLastAdmin };
}

/** An organization header for its users page: the actor's role and whether they are its only Owner. */
export async function getOrganizationOverview(db: Db, actor: Actor | null, input: { orgId: string }) {
  const access = await authorizeOrg(db, actor, input.orgId, "org.view");
  // Only an owner can be the last one: nobody else pays for the count.
  const owners =
    access.orgRole === "owner"
      ? ((await db.select({ n: count() }).from(organizationMemberships).where(and(eq(organizationMemberships.orgId, input.orgId), eq(organizationMemberships.role, "owner"))))[0]?.n ?? 0)
      : 0;
  return { org: access.org, orgRole: access.orgRole, isLastOwner: access.orgRole === "owner" && owners <= 1 };
}
