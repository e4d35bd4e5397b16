import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { organizationMemberships, projectMemberships, projects } from "@/db/schema";
import type { ActivityEntry } from "../activity/record-activity";
import { countAdmins } from "../collaborators/collaborator-lookup";
import { DomainError } from "../errors";
import { revokeKeysOfCreator } from "../keys/revoke-keys-of-creator";
import type { ProjectRole } from "../roles";

/**
 * What leaving an organization and being removed from it share, called under the organization
 * row lock once the last-Owner check passed: locks the organization's projects (by id, the order
 * of every project verb), refuses when the person is some project's last Project Admin, deletes
 * the organization membership (the project memberships cascade) and revokes the API keys the
 * person made there. Returns the project memberships they held and the keys' activity records.
 */
export async function endOrganizationMembership(
  tx: Db,
  person: { orgId: string; userId: string; email: string },
  lastAdminMessage: (projectName: string) => string,
  now: Date,
): Promise<{ held: { projectId: string; role: ProjectRole }[]; keysRevoked: ActivityEntry[] }> {
  const orgProjects = await tx
    .select({ id: projects.id, name: projects.name })
    .from(projects)
    .where(eq(projects.orgId, person.orgId))
    .orderBy(asc(projects.id))
    .for("no key update");
  const held = await tx
    .select({ projectId: projectMemberships.projectId, role: projectMemberships.role })
    .from(projectMemberships)
    .where(and(eq(projectMemberships.orgId, person.orgId), eq(projectMemberships.userId, person.userId)));
  for (const membership of held.filter((h) => h.role === "admin")) {
    if ((await countAdmins(tx, membership.projectId)) <= 1) {
      const name = orgProjects.find((p) => p.id === membership.projectId)?.name ?? "a project";
      throw new DomainError("LAST_ADMIN", lastAdminMessage(name));
    }
  }
  await tx
    .delete(organizationMemberships)
    .where(and(eq(organizationMemberships.orgId, person.orgId), eq(organizationMemberships.userId, person.userId)));
  return { held, keysRevoked: await revokeKeysOfCreator(tx, person, now) };
}
