import "server-only";
import { and, eq } from "drizzle-orm";
import { projectMemberships } from "@/db/schema";
import { authorizeProject } from "../access";
import { recordActivity } from "../activity/record-activity";
import { assertNotLastAdmin } from "./collaborator-lookup";
import { LAST_ADMIN_MESSAGE } from "../messages";
import { DomainError } from "../errors";
import { canOnProject } from "../permissions";
import { transactionalVerb } from "../verb";

/** The signed-in user leaves a project they collaborate on, unless they are its last admin. */
export const leaveProject = transactionalVerb(
  async (tx, actor, input: { orgId: string; projectId: string }, now): Promise<{ orgId: string }> => {
    const access = await authorizeProject(tx, actor, input, "project.view", { lock: true });
    if (!canOnProject(access, "project.leave") || !access.projectRole) {
      throw new DomainError("CONFLICT", "You are not a collaborator of this project, so there is nothing to leave.");
    }
    if (access.projectRole === "admin") await assertNotLastAdmin(tx, input.projectId, LAST_ADMIN_MESSAGE);
    await tx
      .delete(projectMemberships)
      .where(and(eq(projectMemberships.projectId, input.projectId), eq(projectMemberships.userId, actor!.id)));
    await recordActivity(
      tx,
      actor!,
      [
        {
          orgId: input.orgId,
          projectId: input.projectId,
          action: "member.left",
          targetEmail: actor!.email,
          targetUserId: actor!.id,
          oldRole: access.projectRole,
        },
      ],
      now,
    );
    return { orgId: input.orgId };
  },
);
