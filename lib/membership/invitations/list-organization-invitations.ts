import "server-only";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { eq, sql } from "drizzle-orm";
import { authorizeOrg } from "../access";
import type { OrgRole } from "../roles";
import { type Actor, type Page, type VerbOptions } from "../types";
import { PendingInvitation, pendingPage } from "./list-pending-invitations";

/** An organization's pending (and expired) invitations with their organization role and project grants; Organization Owners only. */
export async function listOrganizationInvitations(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; cursor?: string | null },
  options: VerbOptions = {},
): Promise<Page<PendingInvitation>> {
  await authorizeOrg(db, actor, input.orgId, "org.invitations.manage");
  return pendingPage(db, eq(invitations.orgId, input.orgId), sql<OrgRole>`${invitations.orgRole}`, "org-invitations", input.cursor, options.now ?? new Date(), true);
}