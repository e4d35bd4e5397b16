import "server-only";
import type { Db } from "@/db/client";
import { invitations } from "@/db/schema";
import { and, eq, sql } from "drizzle-orm";
import { authorizeOrg } from "../access";
import type { OrgRole } from "../roles";
import { type Actor, type Page, type VerbOptions } from "../types";
import { orgRoleFilter, type ListFilter } from "../list-filter";
import { emailStartsWith, PendingInvitation, pendingList } from "./list-pending-invitations";

/**
 * An organization's pending (and expired) invitations with their organization role and project grants; Organization Owners only.
 * `q` keeps addresses starting with it, `role` the organization role they grant.
 */
export async function listOrganizationInvitations(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; cursor?: string | null } & ListFilter,
  options: VerbOptions = {},
): Promise<Page<PendingInvitation>> {
  await authorizeOrg(db, actor, input.orgId, "org.invitations.manage");
  const role = orgRoleFilter(input.role);
  const scope = and(eq(invitations.orgId, input.orgId), role ? eq(invitations.orgRole, role) : undefined, emailStartsWith(input.q));
  return pendingList(
    db,
    { where: scope, role: sql<OrgRole>`${invitations.orgRole}` },
    "org-invitations",
    input.cursor,
    options.now ?? new Date(),
    true,
  ).read();
}
