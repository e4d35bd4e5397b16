import { and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projectMemberships, users } from "@/db/schema";
import { authorizeProject } from "./access";
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

/** What a person typed into a search box, trimmed, without control characters, at most 200 characters. */
export function searchText(q: unknown): string {
  // eslint-disable-next-line no-control-regex
  return typeof q === "string" ? q.trim().slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, "") : "";
}

/** Turns what a person typed into a LIKE pattern that matches it literally, anywhere. */
export function containsPattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A project's collaborators, admins first then by email, 50 a page (or fewer, `pageSize`),
 * optionally only those whose name or email contains `q`; any collaborator or owner may read it.
 */
export async function listCollaborators(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; page?: number; pageSize?: number; q?: string },
): Promise<Page<Collaborator>> {
  await authorizeProject(db, actor, input, "project.view");
  const page = pageNumber(input.page);
  const size = pageSizeOf(input.pageSize);
  const q = searchText(input.q);
  const where = and(eq(projectMemberships.projectId, input.projectId), q ? or(ilike(users.email, containsPattern(q)), ilike(users.name, containsPattern(q))) : undefined);
  const [items, [total]] = await Promise.all([
    db
      .select({ userId: users.id, name: users.name, email: users.email, role: projectMemberships.role, joinedAt: projectMemberships.createdAt })
      .from(projectMemberships)
      .innerJoin(users, eq(users.id, projectMemberships.userId))
      .where(where)
      .orderBy(sql`case ${projectMemberships.role} when 'admin' then 0 when 'read_write' then 1 else 2 end`, asc(users.email), asc(users.id))
      .limit(size)
      .offset((page - 1) * size),
    db.select({ n: count() }).from(projectMemberships).innerJoin(users, eq(users.id, projectMemberships.userId)).where(where),
  ]);
  return { items, total: total?.n ?? 0, page, pageSize: size };
}
