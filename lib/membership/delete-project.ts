import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations, projectMemberships, projects, users } from "@/db/schema";
import { cancelPendingEmails } from "@/lib/email/outbox";
import { authorizeOrg } from "./access";
import { recordActivity, type ActivityEntry } from "./activity-log";
import { DomainError } from "./errors";
import { lockOrgProject } from "./project-lookup";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

/**
 * Deletes a project (Organization Owners only; never the Default Project), confirmed by typing
 * its name. Its pending invitations are revoked and its collaborators removed, each recorded in
 * the organization's activity (the records keep the project's name).
 */
export async function deleteProject(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; confirmName: string },
  options: VerbOptions = {},
): Promise<{ name: string; removed: number; revoked: number }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "projects.manage", { lock: true });
    const project = await lockOrgProject(tx, input);
    if (project.isDefault) throw new DomainError("CONFLICT", "The Default Project cannot be deleted.");
    if (typeof input.confirmName !== "string" || input.confirmName.trim() !== project.name) {
      throw new DomainError("INVALID", `Type the project's name, ${project.name}, to confirm.`, { confirmName: ["Does not match the project's name"] });
    }
    const collaborators = await tx
      .select({ userId: projectMemberships.userId, role: projectMemberships.role, email: users.email })
      .from(projectMemberships)
      .innerJoin(users, eq(users.id, projectMemberships.userId))
      .where(eq(projectMemberships.projectId, project.id));
    const revoked = await tx
      .update(invitations)
      .set({ status: "revoked", revokedAt: now })
      .where(and(eq(invitations.projectId, project.id), eq(invitations.status, "pending")))
      .returning({ id: invitations.id, email: invitations.email, role: invitations.role });
    await cancelPendingEmails(tx, revoked.map((r) => r.id), "Cancelled: the project was deleted");
    await tx.delete(projects).where(eq(projects.id, project.id));
    const named = { orgId: input.orgId, projectId: null, projectName: project.name };
    const log: ActivityEntry[] = [
      ...revoked.map((r) => ({ ...named, action: "invitation.revoked" as const, targetEmail: r.email, oldRole: r.role })),
      ...collaborators.map((c) => ({ ...named, action: "member.removed" as const, targetEmail: c.email, targetUserId: c.userId, oldRole: c.role })),
      { ...named, action: "project.deleted" },
    ];
    await recordActivity(tx, actor!, log, now);
    return { name: project.name, removed: collaborators.length, revoked: revoked.length };
  });
}
