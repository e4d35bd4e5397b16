import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects } from "@/db/schema";
import { authorizeProjectManagement } from "../access";
import { recordActivity } from "../activity/record-activity";
import { validName } from "../names";
import { lockOrgProject } from "./project-lookup";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";

/** Gives a project a new name (Organization Owners only). */
export async function renameProject(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; projectId: string; name: string },
  options: VerbOptions = {},
): Promise<{ name: string }> {
  const now = options.now ?? new Date();
  const name = validName(input.name, "project");
  return inTransaction(db, async (tx) => {
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
  });
}
