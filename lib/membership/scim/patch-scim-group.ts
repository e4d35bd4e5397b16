import "server-only";
import type { Db } from "@/db/client";
import type { ScimActor } from "../activity/record-activity";
import { inTransaction } from "../transaction";
import type { VerbOptions } from "../types";
import { lockOrgForGroups } from "./group-roles";
import { applyGroupChanges, isScimGroupId, type ScimGroupChange, type ScimGroupView } from "./scim-group-rules";
import { changeScimGroup, groupNotFound, loadScimGroup } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/**
 * Changes a SCIM group (PATCH /Groups/{id}): renames it and adds, removes or replaces members, in
 * the order sent, all or nothing. A list of 1,000 members is written in a bounded number of
 * statements. Added members must be SCIM users of the organization (400); removing someone not
 * in the group changes nothing. Returns the group without members when `members: false`.
 */
export async function patchScimGroup(
  db: Db,
  actor: ScimActor | null,
  input: { orgId: string; groupId: string; changes: readonly ScimGroupChange[]; members?: boolean },
  options: VerbOptions = {},
): Promise<ScimGroupView> {
  const now = options.now ?? new Date();
  assertScimOrg(actor, input.orgId);
  if (!isScimGroupId(input.groupId)) throw groupNotFound();
  return inTransaction(db, async (tx) => {
    await lockOrgForGroups(tx, input.orgId);
    await changeScimGroup(
      tx,
      actor,
      { orgId: input.orgId, groupId: input.groupId, change: (current) => applyGroupChanges(current, input.changes) },
      now,
    );
    return (await loadScimGroup(tx, input.orgId, input.groupId, { members: input.members }))!;
  });
}
