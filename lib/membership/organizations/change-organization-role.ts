import "server-only";
import { and, eq } from "drizzle-orm";
import { organizationMemberships } from "@/db/schema";
import { authorizeOrg } from "../access";
import { aboutMember, recordActivity } from "../activity/record-activity";
import { notFound } from "../errors";
import { assertNotLastOwner, findOrgMember } from "./org-member-lookup";
import type { OrgRole, RoleChange } from "../roles";
import { assertOrgRole } from "../role-checks";
import { transactionalVerb } from "../verb";

/**
 * Gives an organization member another organization role (Organization Owners only), at once;
 * never leaves the organization without an Owner. The organization row lock serializes two
 * owners demoting each other: the second one re-reads its own role after the first committed.
 */
export const changeOrganizationRole = transactionalVerb(
  async (tx, actor, input: { orgId: string; userId: string; role: OrgRole }, now): Promise<RoleChange<OrgRole>> => {
    assertOrgRole(input.role);
    await authorizeOrg(tx, actor, input.orgId, "org.changeRole", { lock: true });
    const target = await findOrgMember(tx, input.orgId, input.userId);
    if (!target) throw notFound("member");
    if (target.role === input.role) return { oldRole: target.role, role: input.role };
    if (target.role === "owner") {
      await assertNotLastOwner(
        tx,
        input.orgId,
        target.userId === actor!.id
          ? "You are the only Organization Owner. Make someone else an Organization Owner first."
          : `${target.email} is the only Organization Owner. Make someone else an Organization Owner first.`,
      );
    }
    await tx
      .update(organizationMemberships)
      .set({ role: input.role })
      .where(and(eq(organizationMemberships.orgId, input.orgId), eq(organizationMemberships.userId, target.userId)));
    await recordActivity(
      tx,
      actor!,
      [{ orgId: input.orgId, action: "org_member.role_changed", ...aboutMember(target), newRole: input.role }],
      now,
    );
    return { oldRole: target.role, role: input.role };
  },
);
