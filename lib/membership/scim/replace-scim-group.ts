import "server-only";
import type { Db } from "@/db/client";
import type { ScimActor } from "../activity/record-activity";
import { inTransaction } from "../transaction";
import type { VerbOptions } from "../types";
import { lockOrgForGroups } from "./group-roles";
import { isScimGroupId, type ScimGroupState, type ScimGroupView } from "./scim-group-rules";
import { changeScimGroup, groupNotFound, loadScimGroup } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/**
 * Replaces a SCIM group (PUT /Groups/{id}): its names and its whole member list (members left out
 * of the body leave the group). Joiners get and leavers lose the roles the group is mapped to;
 * refused, nothing changed, when a project would lose its last Project Admin (409).
 */
export async function replaceScimGroup(
  db: Db,
  actor: ScimActor | null,
  input: { orgId: string; groupId: string; group: ScimGroupState },
  options: VerbOptions = {},
): Promise<ScimGroupView> {
  const now = options.now ?? new Date();
  assertScimOrg(actor, input.orgId);
  if (!isScimGroupId(input.groupId)) throw groupNotFound();
  return inTransaction(db, async (tx) => {
    await lockOrgForGroups(tx, input.orgId);
    await changeScimGroup(tx, actor, { orgId: input.orgId, groupId: input.groupId, change: () => input.group }, now);
    return (await loadScimGroup(tx, input.orgId, input.groupId))!;
  });
}
