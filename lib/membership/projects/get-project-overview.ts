import "server-only";
import type { Db } from "@/db/client";
import { authorizeProject } from "../access";
import { countAdmins } from "../collaborators/collaborator-lookup";
import { canOnProject, type ProjectAction } from "../permissions";
import type { Actor } from "../types";

const CAPABILITIES = [
  "invitations.view",
  "activity.view",
  "members.invite",
  "invitations.manage",
  "members.editRole",
  "members.remove",
  "project.leave",
] as const;
export type Capabilities = Record<(typeof CAPABILITIES)[number], boolean>;
/** A project header plus what the actor may do there, for the UI to decide what to show. */
export async function getProjectOverview(db: Db, actor: Actor | null, input: { orgId: string; projectId: string }) {
  const access = await authorizeProject(db, actor, input, "project.view");
  const can = Object.fromEntries(CAPABILITIES.map((a: ProjectAction) => [a, canOnProject(access, a)])) as Capabilities;
  // Only an admin can be the last one: nobody else pays for the count.
  const isLastAdmin = access.projectRole === "admin" && (await countAdmins(db, input.projectId)) <= 1;
  return { ...access, can, isLastAdmin };
}
