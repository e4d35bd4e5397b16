import "server-only";
import { and, count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projectMemberships, users } from "@/db/schema";
import { isUserId } from "../access";
import { DomainError } from "../errors";

export { LAST_ADMIN_MESSAGE } from "../messages";

/** A collaborator of one project, looked up by user id inside that project only. */
export async function findCollaborator(tx: Db, projectId: string, userId: string) {
  if (!isUserId(userId)) return null;
  const rows = await tx
    .select({ userId: projectMemberships.userId, role: projectMemberships.role, email: users.email })
    .from(projectMemberships)
    .innerJoin(users, eq(users.id, projectMemberships.userId))
    .where(and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.userId, userId)));
  return rows[0] ?? null;
}

/** Project Admins of a project; callers hold the project row lock so the count stays true. */
export async function countAdmins(tx: Db, projectId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(projectMemberships)
    .where(and(eq(projectMemberships.projectId, projectId), eq(projectMemberships.role, "admin")));
  return row?.n ?? 0;
}

/** Refuses a change that would take away the project's last Project Admin. */
export async function assertNotLastAdmin(tx: Db, projectId: string, message: string): Promise<void> {
  if ((await countAdmins(tx, projectId)) <= 1) throw new DomainError("LAST_ADMIN", message);
}
