import "server-only";
import { and, eq } from "drizzle-orm";
import { organizations, scimUsers, users } from "@/db/schema";
import { recordActivity, type ScimActor } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { leaveByScim } from "./scim-membership";
import { assertScimOrg, isScimUserId } from "./scim-user-rules";
import { loadScimUser } from "./scim-user-store";

/**
 * Deletes a SCIM user (DELETE /Users/{id}): takes the person out of the organization as
 * deactivation does (refused for the last Owner or a project's last admin, nothing changed) and
 * forgets the SCIM record. The console account stays (it may belong to other organizations).
 */
export const deleteScimUser = transactionalVerb(
  async (tx, actor: ScimActor | null, input: { orgId: string; userId: string }, now): Promise<{ deleted: string }> => {
    assertScimOrg(actor, input.orgId);
    if (!isScimUserId(input.userId)) throw new DomainError("NOT_FOUND", "There is no such user in this organization.");
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId)).for("no key update");
    const current = await loadScimUser(tx, input.orgId, input.userId, { lock: true });
    if (!current) throw new DomainError("NOT_FOUND", "There is no such user in this organization.");
    const removed = await leaveByScim(tx, input.orgId, { userId: input.userId, userName: current.userName }, "scim.user_deleted", now);
    await tx.delete(scimUsers).where(and(eq(scimUsers.orgId, input.orgId), eq(scimUsers.userId, input.userId)));
    const [account] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    await recordActivity(
      tx,
      actor,
      removed.length
        ? removed
        : [{ orgId: input.orgId, action: "scim.user_deleted", targetEmail: account!.email, targetUserId: input.userId }],
      now,
    );
    return { deleted: input.userId };
  },
);
