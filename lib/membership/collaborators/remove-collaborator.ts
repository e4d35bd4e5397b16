import "server-only";
import { and, eq } from "drizzle-orm";
import { projectMemberships } from "@/db/schema";
import { authorizeProject } from "../access";
import { aboutMember, recordActivity } from "../activity/record-activity";
import { assertNotLastAdmin, findCollaborator } from "./collaborator-lookup";
import { notFound } from "../errors";
import { transactionalVerb } from "../verb";

/** Removes a collaborator from a project; their access ends on their next request. */
export const removeCollaborator = transactionalVerb(
  async (tx, actor, input: { orgId: string; projectId: string; userId: string }, now): Promise<{ removed: string }> => {
    await authorizeProject(tx, actor, input, "members.remove", { lock: true });
    const target = await findCollaborator(tx, input.projectId, input.userId);
    if (!target) throw notFound("collaborator");
    if (target.role === "admin") {
      await assertNotLastAdmin(
        tx,
        input.projectId,
        `${target.email} is the only Project Admin. Make another collaborator a Project Admin first.`,
      );
    }
    await tx
      .delete(projectMemberships)
      .where(and(eq(projectMemberships.projectId, input.projectId), eq(projectMemberships.userId, target.userId)));
    await recordActivity(
      tx,
      actor!,
      [{ orgId: input.orgId, projectId: input.projectId, action: "member.removed", ...aboutMember(target) }],
      now,
    );
    return { removed: target.email };
  },
);
