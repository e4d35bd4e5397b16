import "server-only";
import type { Db } from "@/db/client";
import { orgDomains } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { authorizeOrg, isUuid } from "../access";
import { recordActivity } from "../activity/record-activity";
import { inTransaction } from "../transaction";
import type { Actor, VerbOptions } from "../types";
import { domainNotFound } from "./domain-rules";

/** Removes a domain from the organization (Organization Owners only); once removed it is no longer trusted for anything. */
export async function removeDomain(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; domainId: string },
  options: VerbOptions = {},
): Promise<{ removed: string }> {
  const now = options.now ?? new Date();
  return inTransaction(db, async (tx) => {
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
    if (!isUuid(input.domainId)) throw domainNotFound();
    const [gone] = await tx
      .delete(orgDomains)
      .where(and(eq(orgDomains.id, input.domainId), eq(orgDomains.orgId, input.orgId)))
      .returning({ domain: orgDomains.domain });
    if (!gone) throw domainNotFound();
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "domain.removed", detail: gone.domain }], now);
    return { removed: gone.domain };
  });
}
