import "server-only";
import { count, eq } from "drizzle-orm";
import { projectMemberships, projects } from "@/db/schema";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { validName } from "../names";
import { transactionalVerb } from "../verb";

export const MAX_PROJECTS_PER_ORG = 100;

/**
 * Creates a project in an organization (Organization Owners only, at most 100 per organization);
 * whoever creates it becomes its Project Admin.
 */
export const createProject = transactionalVerb(async (tx, actor, input: { orgId: string; name: string }, now): Promise<{ id: string }> => {
  const name = validName(input.name, "project");
  // Under the organization lock the project count is exact while creations race.
  const access = await authorizeOrg(tx, actor, input.orgId, "projects.create", { lock: true });
  const [existing] = await tx.select({ n: count() }).from(projects).where(eq(projects.orgId, input.orgId));
  if ((existing?.n ?? 0) >= MAX_PROJECTS_PER_ORG) {
    throw new DomainError(
      "LIMIT_REACHED",
      `${access.org.name} already has ${MAX_PROJECTS_PER_ORG} projects, the most an organization can have. Delete a project you no longer need first.`,
    );
  }
  const [project] = await tx.insert(projects).values({ orgId: input.orgId, name, createdAt: now }).returning({ id: projects.id });
  await tx
    .insert(projectMemberships)
    .values({ orgId: input.orgId, projectId: project!.id, userId: actor!.id, role: "admin", createdAt: now });
  await recordActivity(
    tx,
    actor!,
    [
      {
        orgId: input.orgId,
        projectId: project!.id,
        projectName: name,
        action: "project.created",
        targetEmail: actor!.email,
        targetUserId: actor!.id,
        newRole: "admin",
      },
    ],
    now,
  );
  return { id: project!.id };
});
