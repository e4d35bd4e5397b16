import "server-only";
import type { Db } from "@/db/client";
import type { ScimActor } from "../activity/record-activity";
import { DomainError } from "../errors";
import { assertScimOrg, isScimUserId, type ScimUserView } from "./scim-user-rules";
import { loadScimUser } from "./scim-user-store";

/** One SCIM user of the token's organization (GET /Users/{id}). */
export async function getScimUser(db: Db, actor: ScimActor | null, input: { orgId: string; userId: string }): Promise<ScimUserView> {
  assertScimOrg(actor, input.orgId);
  const user = isScimUserId(input.userId) ? await loadScimUser(db, input.orgId, input.userId) : null;
  if (!user) throw new DomainError("NOT_FOUND", "There is no such user in this organization.");
  return user;
}
