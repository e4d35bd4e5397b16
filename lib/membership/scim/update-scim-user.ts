import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { organizations, scimUsers, users } from "@/db/schema";
import { recordActivity, type ActivityEntry, type ScimActor } from "../activity/record-activity";
import { DomainError } from "../errors";
import { lockAddresses } from "../invitations/issue-invitations";
import { transactionalVerb } from "../verb";
import { joinByScim, leaveByScim } from "./scim-membership";
import { restoreGroupRoles } from "./group-roles";
import { assertScimOrg, isScimUserId, validScimUser, type ScimUserState, type ScimUserView } from "./scim-user-rules";
import { loadScimUser } from "./scim-user-store";

const notFound = () => new DomainError("NOT_FOUND", "There is no such user in this organization.");

/** The SCIM user to change, and how: `change` gets the stored state and returns the new one. */
export interface UpdateScimUserInput {
  orgId: string;
  userId: string;
  change: (current: ScimUserState) => ScimUserState;
}

/**
 * Changes a SCIM user (PUT and PATCH /Users/{id}): `change` gets the stored state and returns the
 * new one, run under the row's lock so two changes of one person never lose each other. Going
 * inactive takes the person out of the organization (leaveByScim: refused for the last Owner or
 * a project's last admin, nothing changed); going active again brings them back as Organization
 * Member (joinByScim). The work address is kept for SCIM; it never moves the console account.
 */
export const updateScimUser = transactionalVerb(
  async (tx, actor: ScimActor | null, input: UpdateScimUserInput, now): Promise<ScimUserView> => {
    assertScimOrg(actor, input.orgId);
    if (!isScimUserId(input.userId)) throw notFound();
    // The organization row first, as every verb that takes people out of it does.
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, input.orgId)).for("no key update");
    const current = await loadScimUser(tx, input.orgId, input.userId, { lock: true });
    if (!current) throw notFound();
    const next = validScimUser(input.change(stateOf(current)));
    if (next.userName.toLowerCase() !== current.userName.toLowerCase()) {
      const [taken] = await tx
        .select({ userId: scimUsers.userId })
        .from(scimUsers)
        .where(
          and(
            eq(scimUsers.orgId, input.orgId),
            sql`lower(${scimUsers.userName}) = lower(${next.userName})`,
            ne(scimUsers.userId, input.userId),
          ),
        );
      if (taken) throw new DomainError("CONFLICT", `A user with userName ${next.userName} already exists in this organization.`);
    }
    const [account] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
    const log: ActivityEntry[] = [];
    if (current.active && !next.active)
      log.push(...(await leaveByScim(tx, input.orgId, { userId: input.userId, userName: next.userName }, "scim.user_deactivated", now)));
    if (!current.active && next.active) {
      await lockAddresses(tx, input.orgId, [account!.email]);
      log.push(...(await joinByScim(tx, input.orgId, { userId: input.userId, email: account!.email }, now)));
      // ── Issue 20 (SCIM groups): back in the organization, their groups' project roles apply again ──
      log.push(...(await restoreGroupRoles(tx, input.orgId, input.userId)));
    }
    const changed = describeChanges(stateOf(current), next);
    if (changed)
      log.push({
        orgId: input.orgId,
        action: "scim.user_updated",
        targetEmail: account!.email,
        targetUserId: input.userId,
        detail: changed,
      });
    await tx
      .update(scimUsers)
      .set({ ...next, updatedAt: now })
      .where(and(eq(scimUsers.orgId, input.orgId), eq(scimUsers.userId, input.userId)));
    await recordActivity(tx, actor, log, now);
    return (await loadScimUser(tx, input.orgId, input.userId))!;
  },
);

function stateOf(v: ScimUserView): ScimUserState {
  return {
    userName: v.userName,
    externalId: v.externalId,
    email: v.email,
    givenName: v.givenName,
    familyName: v.familyName,
    displayName: v.displayName,
    active: v.active,
  };
}

/** Which attributes changed, in words for the activity ("userName, name"); null when none did. */
function describeChanges(before: ScimUserState, after: ScimUserState): string | null {
  const fields: string[] = [];
  if (before.userName !== after.userName) fields.push("userName");
  if (before.email !== after.email) fields.push("email");
  if (before.givenName !== after.givenName || before.familyName !== after.familyName || before.displayName !== after.displayName)
    fields.push("name");
  if (before.externalId !== after.externalId) fields.push("externalId");
  return fields.length ? `changed ${fields.join(", ")}` : null;
}
