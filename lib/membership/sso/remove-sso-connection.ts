import "server-only";
import { ssoConnections } from "@/db/schema";
import { eq } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";

/**
 * Removes the organization's connection (Organization Owners only): its sign-ins in progress, its
 * default grants and its seen assertion ids go with it; people who joined through it stay members
 * and sign in by email link again.
 */
export const removeSsoConnection = transactionalVerb(async (tx, actor, input: { orgId: string }, now): Promise<{ status: "removed" }> => {
  await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
  const [gone] = await tx
    .delete(ssoConnections)
    .where(eq(ssoConnections.orgId, input.orgId))
    .returning({ name: ssoConnections.name, kind: ssoConnections.kind });
  if (!gone) throw new DomainError("NOT_FOUND", "This organization has no single sign-on connection.");
  await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "sso.connection_removed", detail: gone.name }], now);
  return { status: "removed" };
});
