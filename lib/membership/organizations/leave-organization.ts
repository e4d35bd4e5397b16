import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projectMemberships, projects } from "@/db/schema";
import { authorizeOrg } from "../access";
import { revokeKeysOfCreator } from "../keys/revoke-keys-of-creator";
import { recordActivity, type ActivityEntry } from "../activity/record-activity";
import { countAdmins } from "../collaborators/collaborator-lookup";
import { DomainError } from "../errors";
import { LAST_OWNER_MESSAGE } from "../messages";
import { assertNotLastOwner } from "./org-member-lookup";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";

/**
 * The signed-in user leaves an organization, and with it every project there; the API keys they
 * made there are revoked. Refused for the last Organization Owner, and for the last Project Admin
 * of a project.
 */
export async function leaveOrganization(db: Db, actor: Actor | null, input: { orgId: string }, options: VerbOptions = {}): Promise<{ left: string; projects: number }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    const access = await authorizeOrg(tx, actor, input.orgId, "org.leave", { lock: true });
    // Lock order: organization (above), then its projects by id, as everywhere else.
    const orgProjects = await tx
      .select({ id: projects.id, name: projects.name })
      .from(projects)
      .where(eq(projects.orgId, input.orgId))
      .orderBy(asc(projects.id))
      .for("no key update");
    if (access.orgRole === "owner") await assertNotLastOwner(tx, input.orgId, LAST_OWNER_MESSAGE);
    const held = await tx
      .select({ projectId: projectMemberships.projectId, role: projectMemberships.role })
      .from(projectMemberships)
      .where(and(eq(projectMemberships.orgId, input.orgId), eq(projectMemberships.userId, actor!.id)));
    for (const membership of held.filter((h) => h.role === "admin")) {
      if ((await countAdmins(tx, membership.projectId)) <= 1) {
        const name = orgProjects.find((p) => p.id === membership.projectId)?.name ?? "a project";
        throw new DomainError("LAST_ADMIN", `You are the only Project Admin of ${name}. Make another collaborator a Project Admin before you leave.`);
      }
    }
    await tx.delete(organizationMemberships).where(and(eq(organizationMemberships.orgId, input.orgId), eq(organizationMemberships.userId, actor!.id)));
    const log: ActivityEntry[] = [
      { orgId: input.orgId, action: "org_member.left", targetEmail: actor!.email, targetUserId: actor!.id, oldRole: access.orgRole },
      ...held.map((h) => ({ orgId: input.orgId, projectId: h.projectId, action: "member.left" as const, targetEmail: actor!.email, targetUserId: actor!.id, oldRole: h.role })),
      ...(await revokeKeysOfCreator(tx, { orgId: input.orgId, userId: actor!.id, email: actor!.email }, now)),
    ];
    await recordActivity(tx, actor!, log, now);
    return { left: access.org.name, projects: held.length };
  });
}
