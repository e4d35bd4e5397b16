import "server-only";
import type { ScimActor } from "../activity/record-activity";
import { transactionalVerb } from "../verb";
import { lockOrgForGroups } from "./group-roles";
import { applyGroupChanges, isScimGroupId, type ScimGroupChange, type ScimGroupView } from "./scim-group-rules";
import { changeScimGroup, groupNotFound, loadScimGroup } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/** The group a SCIM PATCH changes and its operations, in order; `members: false` leaves them out of the answer. */
export interface PatchScimGroupInput {
  orgId: string;
  groupId: string;
  changes: readonly ScimGroupChange[];
  members?: boolean;
}

/**
 * Changes a SCIM group (PATCH /Groups/{id}): renames it and adds, removes or replaces members, in
 * the order sent, all or nothing. A list of 1,000 members is written in a bounded number of
 * statements. Added members must be SCIM users of the organization (400); removing someone not
 * in the group changes nothing. Returns the group without members when `members: false`.
 */
export const patchScimGroup = transactionalVerb(
  async (tx, actor: ScimActor | null, input: PatchScimGroupInput, now): Promise<ScimGroupView> => {
    assertScimOrg(actor, input.orgId);
    if (!isScimGroupId(input.groupId)) throw groupNotFound();
    await lockOrgForGroups(tx, input.orgId);
    await changeScimGroup(
      tx,
      actor,
      { orgId: input.orgId, groupId: input.groupId, change: (current) => applyGroupChanges(current, input.changes) },
      now,
    );
    return (await loadScimGroup(tx, input.orgId, input.groupId, { members: input.members }))!;
  },
);
