import "server-only";
import type { Db } from "@/db/client";
import { authorizeProject } from "../access";
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
/** What `getProjectOverview` answers. */
export type ProjectOverview = Awaited<ReturnType<typeof getProjectOverview>>;

/** A project header plus what the actor may do there, for the UI to decide what to show. */
export async function getProjectOverview(db: Db, actor: Actor | null, input: { orgId: string; projectId: string }) {
  const access = await authorizeProject(db, actor, input, "project.view", { adminCount: true });
  const can = Object.fromEntries(CAPABILITIES.map((a: ProjectAction) => [a, canOnProject(access, a)])) as Capabilities;
  // Only an admin can be the last one. The count comes with the access, in its statement.
  const isLastAdmin = access.projectRole === "admin" && (access.adminCount ?? 0) <= 1;
  return { ...access, can, isLastAdmin };
}
