import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects } from "@/db/schema";
import { isUuid } from "../access";
import { notFound } from "../errors";

/**
 * One project of an organization, locked; callers hold the organization row lock first. A deletion
 * locks it FOR UPDATE: that waits for the invites holding it FOR KEY SHARE (their invitations are
 * then committed and seen), and invites arriving later wait and find no project.
 */
export async function lockOrgProject(tx: Db, ids: { orgId: string; projectId: string }, options: { forDeletion?: boolean } = {}) {
  if (!isUuid(ids.projectId)) throw notFound();
  const rows = await tx
    .select()
    .from(projects)
    .where(and(eq(projects.id, ids.projectId), eq(projects.orgId, ids.orgId)))
    .for(options.forDeletion ? "update" : "no key update");
  const row = rows[0];
  if (!row) throw notFound();
  return row;
}
