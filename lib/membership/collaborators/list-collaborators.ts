import "server-only";
import { and, eq, inArray, like, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projectMemberships, projectRoleCounts, users } from "@/db/schema";
import { authorizeProject } from "../access";
import { oneOf, keysetList, type KeyPart, countUpTo, countUpToColumn, rowsToCount, totalOfPage } from "../keyset";
import { prefixPattern, projectRoleFilter, searchText, type ListFilter } from "../list-filter";
import { PROJECT_ROLES, type ProjectRole } from "../roles";
import { LIST_COUNT_CAP, PAGE_SIZE, type Actor, type Page } from "../types";

export interface Collaborator {
  userId: string;
  name: string | null;
  email: string;
  role: ProjectRole;
  joinedAt: Date;
}

/** A page size from the client: 1 to PAGE_SIZE, else PAGE_SIZE. */
function pageSizeOf(size: unknown): number {
  return typeof size === "number" && Number.isInteger(size) && size >= 1 && size <= PAGE_SIZE ? size : PAGE_SIZE;
}

/** What a paged read takes: where to start (a cursor from an earlier page; none is the first page) and how many. */
export interface PageRequest {
  cursor?: string | null;
  pageSize?: number;
}

// The listing order, served by project_memberships_listing_idx (project_id, role, email): the
// role enum sorts admins first; the email (unique per user, copied by a trigger) breaks ties.
const COLLABORATOR_KEY: KeyPart[] = [
  { expr: sql`${projectMemberships.role}`, type: "project_role", valid: oneOf(PROJECT_ROLES) },
  { expr: sql`${projectMemberships.email}`, type: "text", valid: () => true },
];

/**
 * A project's collaborators, admins first then by email, 50 a page (or fewer, `pageSize`); any
 * collaborator or owner may read it. `q` keeps those whose email or name starts with it
 * (case-insensitive), `role` one project role.
 */
export async function listCollaborators(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string } & PageRequest & ListFilter,
): Promise<Page<Collaborator>> {
  await authorizeProject(db, actor, input, "project.view");
  return collaboratorList(db, input).read();
}

/** The collaborators list as a keyset list (its pages read alone, or its first page with others: `readFirstPages`). */
export function collaboratorList(db: Db, input: { projectId: string } & PageRequest & ListFilter) {
  const size = pageSizeOf(input.pageSize);
  const q = searchText(input.q);
  const role = projectRoleFilter(input.role);
  // Emails are stored lower-cased; names are compared through lower(), as the index is built.
  const where = and(
    eq(projectMemberships.projectId, input.projectId),
    role ? eq(projectMemberships.role, role) : undefined,
    q ? or(like(users.email, prefixPattern(q)), like(sql`lower(${users.name})`, prefixPattern(q))) : undefined,
  );
  // The total travels with the rows (one statement): exact from project_role_counts without a
  // search, counted up to LIST_COUNT_CAP with one.
  const total = q
    ? countUpToColumn(matching(db, where), LIST_COUNT_CAP)
    : sql<number>`${roleCount(db, input.projectId, role)}`.mapWith(Number);
  return keysetList({
    list: "collaborators",
    cursor: input.cursor,
    size,
    direction: "asc",
    keys: COLLABORATOR_KEY,
    fetch: (after, order, limit) =>
      db
        .select({
          userId: users.id,
          name: users.name,
          email: users.email,
          role: projectMemberships.role,
          joinedAt: projectMemberships.createdAt,
          key: projectMemberships.email,
          total,
        })
        .from(projectMemberships)
        .innerJoin(users, eq(users.id, projectMemberships.userId))
        .where(and(where, after))
        .orderBy(...order)
        .limit(limit),
    keyOf: (r) => [r.role, r.key ?? r.email],
    finish: async (page) => ({
      items: page.rows.map(({ key: _key, total: _total, ...c }) => c),
      ...(await totalOfPage(page.rows, input.cursor, q ? LIST_COUNT_CAP : null, () =>
        countCollaborators(db, input.projectId, role, q, where),
      )),
      start: page.start,
      next: page.next,
      prev: page.prev,
      pageSize: size,
    }),
  });
}

/** The exact number of a project's collaborators (of one role), kept by a trigger in project_role_counts. */
const roleCount = (db: Db, projectId: string, role: ProjectRole | undefined) =>
  db
    .select({ n: sql<number>`coalesce(sum(${projectRoleCounts.n}), 0)::int` })
    .from(projectRoleCounts)
    .where(and(eq(projectRoleCounts.projectId, projectId), role ? inArray(projectRoleCounts.role, [role]) : undefined));

/** The collaborators a search matches, as rows to count. */
const matching = (db: Db, where: ReturnType<typeof and>) =>
  rowsToCount(db, projectMemberships, where, { table: users, on: eq(users.id, projectMemberships.userId) });

/**
 * The total on its own, for a later page that came back empty. Without a search it is exact and
 * costs one or three rows: project_role_counts, kept by a trigger in the transaction of every
 * membership change. A search is counted up to LIST_COUNT_CAP.
 */
async function countCollaborators(
  db: Db,
  projectId: string,
  role: ProjectRole | undefined,
  q: string,
  where: ReturnType<typeof and>,
): Promise<{ total: number; capped?: true }> {
  if (!q) {
    const [row] = await roleCount(db, projectId, role);
    return { total: Number(row?.n ?? 0) };
  }
  return countUpTo(db, matching(db, where), LIST_COUNT_CAP);
}
