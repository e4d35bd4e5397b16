import "server-only";
import type { Db } from "@/db/client";
import { organizationMemberships } from "@/db/schema";
import { and, count, eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import type { Actor } from "../types";

/** An organization header for its users page: the actor's role and whether they are its only Owner. */
export async function getOrganizationOverview(db: Db, actor: Actor | null, input: { orgId: string }) {
  const access = await authorizeOrg(db, actor, input.orgId, "org.view");
  // Only an owner can be the last one: nobody else pays for the count.
  const owners =
    access.orgRole === "owner"
      ? ((
          await db
            .select({ n: count() })
            .from(organizationMemberships)
            .where(and(eq(organizationMemberships.orgId, input.orgId), eq(organizationMemberships.role, "owner")))
        )[0]?.n ?? 0)
      : 0;
  return { org: access.org, orgRole: access.orgRole, isLastOwner: access.orgRole === "owner" && owners <= 1 };
}
