import "server-only";
import { scimGroups } from "@/db/schema";
import type { ScimActor } from "../activity/record-activity";
import { transactionalVerb } from "../verb";
import { lockOrgForGroups } from "./group-roles";
import { validScimGroup, type ScimGroupState, type ScimGroupView } from "./scim-group-rules";
import {
  assertGroupNameFree,
  groupNameTaken,
  loadScimGroup,
  memberEntries,
  recordGroupActivity,
  writeGroupMembers,
} from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/**
 * Creates a SCIM group (POST /Groups) with the members sent, which must be SCIM users of the
 * organization (else 400, nothing created). displayName is unique in the organization,
 * case-insensitively (409). A new group is mapped to no project, so it gives no role yet.
 */
export const createScimGroup = transactionalVerb(
  async (tx, actor: ScimActor | null, input: { orgId: string; group: ScimGroupState }, now): Promise<ScimGroupView> => {
    assertScimOrg(actor, input.orgId);
    const group = validScimGroup(input.group);
    await lockOrgForGroups(tx, input.orgId);
    await assertGroupNameFree(tx, input.orgId, group.displayName);
    const [row] = await tx
      .insert(scimGroups)
      .values({ orgId: input.orgId, displayName: group.displayName, externalId: group.externalId, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: scimGroups.id });
    if (!row) throw groupNameTaken(group.displayName);
    const { added } = await writeGroupMembers(tx, input.orgId, row.id, [], group.memberIds);
    await recordGroupActivity(
      tx,
      actor,
      [
        { orgId: input.orgId, action: "scim.group_created", detail: group.displayName },
        ...memberEntries(input.orgId, group.displayName, added, []),
      ],
      now,
    );
    return (await loadScimGroup(tx, input.orgId, row.id))!;
  },
);
