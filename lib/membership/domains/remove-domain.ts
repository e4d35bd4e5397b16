import "server-only";
import { orgDomains } from "@/db/schema";
import { and, eq } from "drizzle-orm";
import { authorizeOrg, isUuid } from "../access";
import { recordActivity } from "../activity/record-activity";
import { transactionalVerb } from "../verb";
import { domainNotFound } from "./domain-rules";

/** Removes a domain from the organization (Organization Owners only); once removed it is no longer trusted for anything. */
export const removeDomain = transactionalVerb(
  async (tx, actor, input: { orgId: string; domainId: string }, now): Promise<{ removed: string }> => {
    await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
    if (!isUuid(input.domainId)) throw domainNotFound();
    const [gone] = await tx
      .delete(orgDomains)
      .where(and(eq(orgDomains.id, input.domainId), eq(orgDomains.orgId, input.orgId)))
      .returning({ domain: orgDomains.domain });
    if (!gone) throw domainNotFound();
    await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "domain.removed", detail: gone.domain }], now);
    return { removed: gone.domain };
  },
);
