import { and, asc, count, eq, like, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projectMemberships, users } from "@/db/schema";
import { authorizeProject } from "./access";
import { prefixPattern, projectRoleFilter, searchText, type ListFilter } from "./list-filter";
import type { ProjectRole } from "./roles";
import { PAGE_SIZE, type Actor, type Page } from "./types";

export interface Collaborator {
  userId: string;
  name: string | null;
  email: string;
  role: ProjectRole;
  joinedAt: Date;
}

/** Normalizes a page number from the client: 1-based, bounded. */
export function pageNumber(page: unknown): number {
  const n = typeof page === "number" ? page : Number(page);
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** A page size from the client: 1 to PAGE_SIZE, else PAGE_SIZE. */
export function pageSizeOf(size: unknown): number {
  return typeof size === "number" && Number.isInteger(size) && size >= 1 && size <= PAGE_SIZE ? size : PAGE_SIZE;
}

/**
 * A project's collaborators, admins first then by email, 50 a page (or fewer, `pageSize`); any
 * collaborator or owner may read it. `q` keeps those whose email or name starts with it
 * (case-insensitive), `role` one project role.
 */
export async function listCollaborators(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; page?: number; pageSize?: number } & ListFilter,
): Promise<Page<Collaborator>> {
  await authorizeProject(db, actor, input, "project.view");
  return readCollaborators(db, input);
}

/** The page of collaborators itself, for a caller that has already authorized "project.view". */
export async function readCollaborators(db: Db, input: { projectId: string; page?: number; pageSize?: number } & ListFilter): Promise<Page<Collaborator>> {
  const page = pageNumber(input.page);
  const size = pageSizeOf(input.pageSize);
  const q = searchText(input.q);
  const role = projectRoleFilter(input.role);
  // Emails are stored lower-cased; names are compared through lower(), as the index is built.
  const where = and(
    eq(projectMemberships.projectId, input.projectId),
    role ? eq(projectMemberships.role, role) : undefined,
    q ? or(like(users.email, prefixPattern(q)), like(sql`lower(${users.name})`, prefixPattern(q))) : undefined,
  );
  const [items, [total]] = await Promise.all([
    db
      .select({ userId: users.id, name: users.name, email: users.email, role: projectMemberships.role, joinedAt: projectMemberships.createdAt })
      .from(projectMemberships)
      .innerJoin(users, eq(users.id, projectMemberships.userId))
      .where(where)
      // Served by project_memberships_listing_idx: the role enum sorts admins first.
      .orderBy(asc(projectMemberships.role), asc(projectMemberships.email))
      .limit(size)
      .offset((page - 1) * size),
    // Without a search the count needs no user row: the listing index alone answers it.
    q
      ? db.select({ n: count() }).from(projectMemberships).innerJoin(users, eq(users.id, projectMemberships.userId)).where(where)
      : db.select({ n: count() }).from(projectMemberships).where(where),
  ]);
  return { items, total: total?.n ?? 0, page, pageSize: size };
}
