import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, organizations, projectMemberships, projects } from "@/db/schema";
import { forbidden, notFound, DomainError } from "./errors";
import { canOnOrg, canOnProject, type OrgAction, type ProjectAction } from "./permissions";
import type { OrgRole, ProjectRole } from "./roles";
import type { Actor, ApiKeyGrant } from "./types";

const POWER: Record<ProjectRole, number> = { read_only: 0, read_write: 1, admin: 2 };

/**
 * An API key's standing on a project: its creator's standing (read fresh), capped to what the key
 * was given. An organization key is its creator; a project key is an Organization Member holding
 * the lower of its grant and the creator's own power there (an Owner counts as Project Admin).
 * A project the key was not given, or another organization's, is not visible (null).
 */
export function capProjectAccess(access: ProjectAccess, key: ApiKeyGrant | undefined): ProjectAccess | null {
  if (!key) return access;
  if (key.orgId !== access.org.id || !access.orgRole) return null;
  if (key.scope === "organization") return access;
  const grant = Object.hasOwn(key.projects, access.project.id) ? key.projects[access.project.id] : undefined;
  const creator: ProjectRole | null = access.orgRole === "owner" ? "admin" : access.projectRole;
  if (!grant || !creator) return null;
  return { ...access, orgRole: "member", projectRole: POWER[grant] <= POWER[creator] ? grant : creator };
}

/** An API key's organization role: its creator's for an organization key, Member for a project key. */
export function capOrgRole(orgId: string, role: OrgRole, key: ApiKeyGrant | undefined): OrgRole | null {
  if (!key) return role;
  if (key.orgId !== orgId) return null;
  return key.scope === "organization" ? role : "member";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids come from URLs and forms; a malformed one is simply "not found". */
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * A user id as the browser may send it (user ids are text, not uuids). Postgres text cannot hold
 * NUL: such an id matches nobody, and must not reach the driver.
 */
export function isUserId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= 200 && !value.includes("\u0000");
}

export interface ProjectAccess {
  org: { id: string; name: string };
  project: { id: string; name: string; orgId: string };
  orgRole: OrgRole | null;
  projectRole: ProjectRole | null;
  /** Asked for with `adminCount`: how many Project Admins the project has (project_role_counts), else null. */
  adminCount?: number | null;
}

/**
 * The actor's standing on a project of an organization, read fresh from the database on every
 * call (no cached role lets a removed user act). With `lock: true`, the project row is locked
 * first so that membership changes on one project happen one at a time; with `lock: "key share"`
 * it is only kept from being deleted (invites add people side by side, and lose no admin).
 */
export async function loadProjectAccess(
  db: Db,
  actorId: string,
  ids: { orgId: string; projectId: string },
  options: { lock?: boolean | "key share"; adminCount?: boolean } = {},
): Promise<ProjectAccess | null> {
  if (!isUuid(ids.orgId) || !isUuid(ids.projectId)) return null;
  if (options.lock === true) {
    // NO KEY UPDATE serializes our writers without blocking foreign-key checks of inserts.
    const locked = await db
      .select({ id: projects.id })
      .from(projects)
      .where(and(eq(projects.id, ids.projectId), eq(projects.orgId, ids.orgId)))
      .for("no key update");
    if (locked.length === 0) return null;
  }
  const query = db
    .select({
      orgId: organizations.id,
      orgName: organizations.name,
      projectId: projects.id,
      projectName: projects.name,
      orgRole: organizationMemberships.role,
      projectRole: projectMemberships.role,
      // Read in the same statement when asked (a page header), from the counts the triggers keep.
      adminCount: options.adminCount
        ? sql<number>`coalesce((select c.n from project_role_counts c where c.project_id = ${projects.id} and c.role = 'admin'), 0)`.mapWith(
            Number,
          )
        : sql<number | null>`null`,
    })
    .from(projects)
    .innerJoin(organizations, eq(organizations.id, projects.orgId))
    .leftJoin(organizationMemberships, and(eq(organizationMemberships.orgId, projects.orgId), eq(organizationMemberships.userId, actorId)))
    .leftJoin(projectMemberships, and(eq(projectMemberships.projectId, projects.id), eq(projectMemberships.userId, actorId)))
    .where(and(eq(projects.id, ids.projectId), eq(projects.orgId, ids.orgId)))
    .limit(1)
    .$dynamic();
  // KEY SHARE waits only for a deletion of the project (never for a membership change, which takes
  // NO KEY UPDATE): after one, the row is gone and the read finds nothing. So it can be taken by
  // the read itself, while NO KEY UPDATE is taken first, for the read to see what its holder did.
  const rows = await (options.lock === "key share" ? query.for("key share", { of: projects }) : query);
  const row = rows[0];
  if (!row) return null;
  return {
    org: { id: row.orgId, name: row.orgName },
    project: { id: row.projectId, name: row.projectName, orgId: row.orgId },
    orgRole: row.orgRole,
    projectRole: row.projectRole,
    adminCount: row.adminCount,
  };
}

/**
 * The one guard every project verb calls. Someone who may not see the project gets "not found"
 * (never a hint it exists); someone who may see it but not do this gets "forbidden".
 */
export async function authorizeProject(
  db: Db,
  actor: Actor | null,
  ids: { orgId: string; projectId: string },
  action: ProjectAction,
  options: { lock?: boolean | "key share"; adminCount?: boolean } = {},
): Promise<ProjectAccess> {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  const loaded = await loadProjectAccess(db, actor.id, ids, options);
  const access = loaded && capProjectAccess(loaded, actor.apiKey);
  if (!access || !canOnProject(access, "project.view")) throw notFound();
  if (!canOnProject(access, action)) throw forbidden();
  return access;
}

export interface OrgAccess {
  org: { id: string; name: string };
  orgRole: OrgRole;
}

/** The guard for organization-level verbs; non-members get "not found". */
export async function authorizeOrg(
  db: Db,
  actor: Actor | null,
  orgId: string,
  action: OrgAction,
  options: { lock?: boolean } = {},
): Promise<OrgAccess> {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  if (!isUuid(orgId)) throw notFound("organization");
  if (options.lock) {
    // Only those allowed the action may take the organization lock: check, lock, then read again.
    await authorizeOrg(db, actor, orgId, action);
    const locked = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, orgId)).for("no key update");
    if (locked.length === 0) throw notFound("organization");
  }
  const rows = await db
    .select({ id: organizations.id, name: organizations.name, role: organizationMemberships.role })
    .from(organizations)
    .innerJoin(
      organizationMemberships,
      and(eq(organizationMemberships.orgId, organizations.id), eq(organizationMemberships.userId, actor.id)),
    )
    .where(eq(organizations.id, orgId))
    .limit(1);
  const row = rows[0];
  const role = row ? capOrgRole(row.id, row.role, actor.apiKey) : null;
  if (!row || !role) throw notFound("organization");
  if (!canOnOrg(role, action)) throw forbidden("Only an Organization Owner can do that.");
  return { org: { id: row.id, name: row.name }, orgRole: role };
}

/**
 * The guard for renaming or deleting a project: someone who may not see the project (a member
 * not on it, a key not given it) gets "not found", as on every project; someone who may see it
 * but is not an Organization Owner gets "forbidden". Then the organization row is locked and the
 * role read again.
 */
export async function authorizeProjectManagement(
  db: Db,
  actor: Actor | null,
  ids: { orgId: string; projectId: string },
): Promise<OrgAccess> {
  await authorizeProject(db, actor, ids, "project.view");
  return authorizeOrg(db, actor, ids.orgId, "projects.manage", { lock: true });
}
