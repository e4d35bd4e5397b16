import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { isUuid } from "./access";
import { notFound } from "./errors";

/** Loads one invitation of a project, locked for update; ids from the client are scoped here. */
export async function lockProjectInvitation(tx: Db, ids: { orgId: string; projectId: string; invitationId: string }) {
  if (!isUuid(ids.invitationId)) throw notFound("invitation");
  const rows = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, ids.invitationId), eq(invitations.projectId, ids.projectId), eq(invitations.orgId, ids.orgId)))
    .for("update");
  const row = rows[0];
  if (!row) throw notFound("invitation");
  return row;
}
