import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { scimUsers, users } from "@/db/schema";
import { recordActivity, type ScimActor } from "../activity/record-activity";
import { DomainError } from "../errors";
import { lockAddresses } from "../invitations/issue-invitations";
import { nameProblem } from "../names";
import { transactionalVerb } from "../verb";
import { joinByScim } from "./scim-membership";
import { accountAddress, assertScimOrg, validScimUser, type ScimUserState, type ScimUserView } from "./scim-user-rules";
import { loadScimUser } from "./scim-user-store";

/**
 * Creates a SCIM user (POST /Users): links the console account with their work address (made
 * when there is none, never duplicated) and, when active, brings them into the organization
 * (joinByScim: no email, a pending invitation fulfilled, the seat limit kept). userName is unique
 * in the organization, case-insensitively, and one account is one SCIM user: a repeat is 409.
 */
export const provisionUser = transactionalVerb(
  async (tx, actor: ScimActor | null, input: { orgId: string; user: ScimUserState }, now): Promise<ScimUserView> => {
    assertScimOrg(actor, input.orgId);
    const state = validScimUser(input.user);
    const address = accountAddress(state);
    // The address lock invites and SSO take: a provisioning, an invite and an SSO join of one address take turns.
    await lockAddresses(tx, input.orgId, [address]);
    const [taken] = await tx
      .select({ userId: scimUsers.userId })
      .from(scimUsers)
      .where(and(eq(scimUsers.orgId, input.orgId), sql`lower(${scimUsers.userName}) = lower(${state.userName})`));
    if (taken) throw new DomainError("CONFLICT", `A user with userName ${state.userName} already exists in this organization.`);
    await tx
      .insert(users)
      .values({ email: address, name: displayNameOf(state), createdAt: now })
      .onConflictDoNothing({ target: users.email });
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, address));
    const [linked] = await tx
      .select({ userName: scimUsers.userName })
      .from(scimUsers)
      .where(and(eq(scimUsers.orgId, input.orgId), eq(scimUsers.userId, user!.id)));
    if (linked) throw new DomainError("CONFLICT", `${address} is already provisioned in this organization as userName ${linked.userName}.`);
    // Two userNames of one spelling sent for two addresses at once: the unique index decides, the second is told.
    const inserted = await tx
      .insert(scimUsers)
      .values({ orgId: input.orgId, userId: user!.id, ...state, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ userId: scimUsers.userId });
    if (inserted.length === 0)
      throw new DomainError("CONFLICT", `A user with userName ${state.userName} already exists in this organization.`);
    const joined = state.active ? await joinByScim(tx, input.orgId, { userId: user!.id, email: address }, now) : [];
    await recordActivity(tx, actor, joined, now);
    return (await loadScimUser(tx, input.orgId, user!.id))!;
  },
);

/** The name a new account is given from what the provider sent, when it passes the display-name rule. */
function displayNameOf(state: ScimUserState): string | null {
  const name = state.displayName ?? ([state.givenName, state.familyName].filter(Boolean).join(" ") || null);
  return name && !nameProblem(name, "display") ? name : null;
}
