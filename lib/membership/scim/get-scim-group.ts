import "server-only";
import type { Db } from "@/db/client";
import type { ScimActor } from "../activity/record-activity";
import { isScimGroupId, type ScimGroupView } from "./scim-group-rules";
import { groupNotFound, loadScimGroup } from "./scim-group-store";
import { assertScimOrg } from "./scim-user-rules";

/** One SCIM group of the token's organization (GET /Groups/{id}), with its members unless `members: false`. */
export async function getScimGroup(
  db: Db,
  actor: ScimActor | null,
  input: { orgId: string; groupId: string; members?: boolean },
): Promise<ScimGroupView> {
  assertScimOrg(actor, input.orgId);
  const group = isScimGroupId(input.groupId) ? await loadScimGroup(db, input.orgId, input.groupId, { members: input.members }) : null;
  if (!group) throw groupNotFound();
  return group;
}
