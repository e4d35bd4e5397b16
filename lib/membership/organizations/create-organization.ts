import "server-only";
import { organizationMemberships, organizations, projectMemberships, projects } from "@/db/schema";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { validName } from "../names";
import { transactionalVerb } from "../verb";

export const DEFAULT_PROJECT_NAME = "Default Project";

/**
 * Starts an organization: the signed-in person becomes its Organization Owner, and its
 * "Default Project" (which cannot be deleted) is made with it, with them as Project Admin.
 * Anyone signed in may do this; it is how a fresh installation starts.
 */
export const createOrganization = transactionalVerb(
  async (tx, actor, input: { name: string }, now): Promise<{ orgId: string; projectId: string }> => {
    if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
    const name = validName(input.name, "organization");
    const [org] = await tx.insert(organizations).values({ name, createdAt: now }).returning({ id: organizations.id });
    const orgId = org!.id;
    await tx.insert(organizationMemberships).values({ orgId, userId: actor.id, role: "owner", createdAt: now });
    const [project] = await tx
      .insert(projects)
      .values({ orgId, name: DEFAULT_PROJECT_NAME, isDefault: true, createdAt: now })
      .returning({ id: projects.id });
    const projectId = project!.id;
    await tx.insert(projectMemberships).values({ orgId, projectId, userId: actor.id, role: "admin", createdAt: now });
    await recordActivity(
      tx,
      actor,
      [
        { orgId, action: "organization.created", targetEmail: actor.email, targetUserId: actor.id, newRole: "owner", detail: name },
        {
          orgId,
          projectId,
          action: "project.created",
          targetEmail: actor.email,
          targetUserId: actor.id,
          newRole: "admin",
          projectName: DEFAULT_PROJECT_NAME,
        },
      ],
      now,
    );
    return { orgId, projectId };
  },
);
