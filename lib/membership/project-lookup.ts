import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { projects } from "@/db/schema";
import { isUuid } from "./access";
import { notFound } from "./errors";

/** One project of an organization, locked; callers hold the organization row lock first. */
export async function lockOrgProject(tx: Db, ids: { orgId: string; projectId: string }) {
  if (!isUuid(ids.projectId)) throw notFound();
  const rows = await tx
    .select()
    .from(projects)
    .where(and(eq(projects.id, ids.projectId), eq(projects.orgId, ids.orgId)))
    .for("no key update");
  const row = rows[0];
  if (!row) throw notFound();
  return row;
}
