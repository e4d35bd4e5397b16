import type { Db } from "@/db/client";
import { projectMemberships, projects } from "@/db/schema";
import { authorizeOrg } from "./access";
import { recordActivity } from "./activity-log";
import { DomainError } from "./errors";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

/** Creates a project in an organization; whoever creates it becomes its Project Admin. */
export async function createProject(db: Db, actor: Actor | null, input: { orgId: string; name: string }, options: VerbOptions = {}): Promise<{ id: string }> {
  const now = options.now ?? new Date();
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (name.length < 1 || name.length > 80) throw new DomainError("INVALID", "A project name has 1 to 80 characters.", { name: ["1 to 80 characters"] });
  // Postgres text cannot hold NUL, and no control character belongs in a name people read.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new DomainError("INVALID", "A project name cannot contain control characters.", { name: ["No control characters"] });
  return inTransaction(db, async (tx) => {
    // The organization lock orders this after a concurrent removal of the creator from the org.
    await authorizeOrg(tx, actor, input.orgId, "org.view", { lock: true });
    const [project] = await tx.insert(projects).values({ orgId: input.orgId, name, createdAt: now }).returning({ id: projects.id });
    await tx.insert(projectMemberships).values({ orgId: input.orgId, projectId: project!.id, userId: actor!.id, role: "admin", createdAt: now });
    await recordActivity(tx, actor!, [{ orgId: input.orgId, projectId: project!.id, action: "project.created", targetEmail: actor!.email, targetUserId: actor!.id, newRole: "admin" }], now);
    return { id: project!.id };
  });
}
