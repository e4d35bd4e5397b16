import { asc, count, eq } from "drizzle-orm";
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

/** A project's collaborators, 50 a page, admins first; any collaborator or owner may read it. */
export async function listCollaborators(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; page?: number },
): Promise<Page<Collaborator>> {
  await authorizeProject(db, actor, input, "project.view");
  const page = pageNumber(input.page);
  const where = eq(projectMemberships.projectId, input.projectId);
  const [items, [total]] = await Promise.all([
    db
      .select({ userId: users.id, name: users.name, email: users.email, role: projectMemberships.role, joinedAt: projectMemberships.createdAt })
      .from(projectMemberships)
      .innerJoin(users, eq(users.id, projectMemberships.userId))
      .where(where)
      // Served by project_memberships_listing_idx: the role enum sorts admins first.
      .orderBy(asc(projectMemberships.role), asc(projectMemberships.email))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db.select({ n: count() }).from(projectMemberships).where(where),
  ]);
  return { items, total: total?.n ?? 0, page, pageSize: PAGE_SIZE };
}
