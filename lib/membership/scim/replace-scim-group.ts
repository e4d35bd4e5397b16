import "server-only";
import type { ScimActor } from "../activity/record-activity";
import { transactionalVerb } from "../verb";
import { lockOrgForGroups } from "./group-roles";
import { isScimGroupId, type ScimGroupState, type ScimGroupView } from "./scim-group-rules";
import { changeScimGroup, groupNotFound, loadScimGroup } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/**
 * Replaces a SCIM group (PUT /Groups/{id}): its names and its whole member list (members left out
 * of the body leave the group). Joiners get and leavers lose the roles the group is mapped to;
 * refused, nothing changed, when a project would lose its last Project Admin (409).
 */
export const replaceScimGroup = transactionalVerb(
  async (tx, actor: ScimActor | null, input: { orgId: string; groupId: string; group: ScimGroupState }, now): Promise<ScimGroupView> => {
    assertScimOrg(actor, input.orgId);
    if (!isScimGroupId(input.groupId)) throw groupNotFound();
    await lockOrgForGroups(tx, input.orgId);
    await changeScimGroup(tx, actor, { orgId: input.orgId, groupId: input.groupId, change: () => input.group }, now);
    return (await loadScimGroup(tx, input.orgId, input.groupId))!;
  },
);
