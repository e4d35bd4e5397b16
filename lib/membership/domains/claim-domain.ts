import "server-only";
import { orgDomains } from "@/db/schema";
import { and, count, eq, ne } from "drizzle-orm";
import { authorizeOrg } from "../access";
import { recordActivity } from "../activity/record-activity";
import { DomainError } from "../errors";
import { transactionalVerb } from "../verb";
import { normalizeDomain } from "./domain-name";
import {
  MAX_DOMAINS_PER_ORGANIZATION,
  newVerificationToken,
  PENDING_RECHECK_MS,
  toSummary,
  verifiedElsewhere,
  type DomainSummary,
} from "./domain-rules";

/**
 * Claims a domain for the organization (Organization Owners only): it waits for its TXT record,
 * whose value is returned. Several organizations may claim one domain; only one can verify it.
 */
export const claimDomain = transactionalVerb(async (tx, actor, input: { orgId: string; domain: string }, now): Promise<DomainSummary> => {
  // Authorized before the name is judged, so a non-Owner learns nothing about domains; under the
  // organization lock, so two claims at once cannot pass the limit together.
  await authorizeOrg(tx, actor, input.orgId, "org.sso.manage", { lock: true });
  const domain = normalizeDomain(input.domain);
  const [held] = await tx
    .select({ id: orgDomains.id })
    .from(orgDomains)
    .where(and(eq(orgDomains.domain, domain), eq(orgDomains.status, "verified"), ne(orgDomains.orgId, input.orgId)))
    .limit(1);
  if (held) throw verifiedElsewhere(domain);
  const [mine] = await tx
    .select({ id: orgDomains.id })
    .from(orgDomains)
    .where(and(eq(orgDomains.orgId, input.orgId), eq(orgDomains.domain, domain)));
  if (mine) throw new DomainError("CONFLICT", `${domain} is already on this organization's list.`, { domain: ["Already added"] });
  const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(orgDomains).where(eq(orgDomains.orgId, input.orgId));
  if (n >= MAX_DOMAINS_PER_ORGANIZATION)
    throw new DomainError(
      "LIMIT_REACHED",
      `An organization can hold at most ${MAX_DOMAINS_PER_ORGANIZATION} domains. Remove one you no longer use first.`,
    );
  const [row] = await tx
    .insert(orgDomains)
    .values({
      orgId: input.orgId,
      domain,
      verificationToken: newVerificationToken(),
      status: "pending",
      // Nobody can have added the record yet: the first scheduled look is one interval away.
      nextCheckAt: new Date(now.getTime() + PENDING_RECHECK_MS),
      createdById: actor!.id,
      createdAt: now,
    })
    .returning();
  await recordActivity(tx, actor!, [{ orgId: input.orgId, action: "domain.claimed", detail: domain }], now);
  return toSummary(row!);
});
