import "server-only";
import { eq } from "drizzle-orm";
import { scimGroupProjectRoles, scimGroups } from "@/db/schema";
import type { ScimActor } from "../activity/record-activity";
import { transactionalVerb } from "../verb";
import { applyGroupRoles, lockOrgForGroups } from "./group-roles";
import { isScimGroupId } from "./scim-group-rules";
import { groupNotFound, lastAdminBySCIM, loadScimGroup, recordGroupActivity } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/**
 * Deletes a SCIM group (DELETE /Groups/{id}) with its mappings: its members lose the roles only it
 * gave (a direct role or another group's stays). Refused, nothing changed, when a project would
 * lose its last Project Admin (409). The people stay in the organization.
 */
export const deleteScimGroup = transactionalVerb(
  async (tx, actor: ScimActor | null, input: { orgId: string; groupId: string }, now): Promise<{ deleted: string }> => {
    assertScimOrg(actor, input.orgId);
    if (!isScimGroupId(input.groupId)) throw groupNotFound();
    await lockOrgForGroups(tx, input.orgId);
    const group = await loadScimGroup(tx, input.orgId, input.groupId, { lock: true, members: false });
    if (!group) throw groupNotFound();
    // The mappings go first, so the recomputation below sees the group as giving nothing.
    const unmapped = await tx
      .delete(scimGroupProjectRoles)
      .where(eq(scimGroupProjectRoles.groupId, group.id))
      .returning({ projectId: scimGroupProjectRoles.projectId });
    const roles = await applyGroupRoles(
      tx,
      { groupId: group.id },
      unmapped.map((u) => u.projectId),
      { orgId: input.orgId, groupName: group.displayName, lastAdminMessage: lastAdminBySCIM(group.displayName) },
    );
    await tx.delete(scimGroups).where(eq(scimGroups.id, group.id));
    await recordGroupActivity(tx, actor, [{ orgId: input.orgId, action: "scim.group_deleted", detail: group.displayName }, ...roles], now);
    return { deleted: group.id };
  },
);
