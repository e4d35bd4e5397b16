import "server-only";
import type { Db } from "@/db/client";
import { ssoConnections } from "@/db/schema";
import { eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";

/**
 * Removes the organization's connection (Organization Owners only): its sign-ins in progress, its
 * default grants and its seen assertion ids go with it; people who joined through it stay members
 * and sign in by email link again.
 */
export async function removeSsoConnection(
  db: Db,
  actor: Actor | null,
  input: { orgId: string },
  options: VerbOptions = {},
): Promise<{ status: "removed" }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
    const [gone] = await tx
      .delete(ssoConnections)
      .where(eq(ssoConnections.orgId, input.orgId))
      .returning({ name: ssoConnections.name, kind: ssoConnections.kind });
    if (!gone) throw new DomainError("NOT_FOUND", "This organization has no single sign-on connection.");
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "sso.connection_removed", detail: gone.name }], now);
    return { status: "removed" };
  });
}
