import "server-only";
import { eq } from "drizzle-orm";
import { projects } from "@/db/schema";
import { authorizeProjectManagement } from "../access";
import { recordActivity } from "../activity/record-activity";
import { validName } from "../names";
import { lockOrgProject } from "./project-lookup";
import { transactionalVerb } from "../verb";

/** Gives a project a new name (Organization Owners only). */
export const renameProject = transactionalVerb(
  async (tx, actor, input: { orgId: string; projectId: string; name: string }, now): Promise<{ name: string }> => {
    const name = validName(input.name, "project");
    await authorizeProjectManagement(tx, actor, input);
    const project = await lockOrgProject(tx, input);
    if (project.name === name) return { name };
    await tx.update(projects).set({ name }).where(eq(projects.id, project.id));
    await recordActivity(
      tx,
      actor!,
      [{ orgId: input.orgId, projectId: project.id, projectName: name, action: "project.renamed", detail: project.name }],
      now,
    );
    return { name };
  },
);
