import "server-only";
import type { Db } from "@/db/client";
import { authorizeOrg } from "../access";
import { visibleProjects, type VisibleProject } from "../projects/visible-projects";
import type { OrgRole } from "../roles";
import type { Actor } from "../types";

/** Projects of an organization the actor may see: owners see all, members those they collaborate on, keys their grant. */
export async function listProjects(
  db: Db,
  actor: Actor | null,
  input: { orgId: string },
): Promise<{ org: { id: string; name: string; role: OrgRole }; projects: VisibleProject[] }> {
  const access = await authorizeOrg(db, actor, input.orgId, "org.view");
  return { org: { ...access.org, role: access.orgRole }, projects: await visibleProjects(db, actor!, input.orgId) };
}
