"use server";

import { z } from "zod";
import { checkDomain, claimDomain, removeDomain, ZDomainName, ZId, type DomainSummary } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const domainsPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/domains`;

/** Claims a domain for the organization (Organization Owners only); the answer names the TXT record to add. */
export const claimDomainAction: Action<DomainSummary> = defineAction("claimDomain", {
  schema: z.object({ orgId: ZId, domain: ZDomainName }),
  run: claimDomain,
  revalidate: domainsPath,
});

/** "Check now": looks the domain's TXT record up at once. */
export const checkDomainAction: Action<DomainSummary> = defineAction("checkDomain", {
  schema: z.object({ orgId: ZId, domainId: ZId }),
  run: checkDomain,
  revalidate: domainsPath,
});

/** Removes a domain from the organization; it is no longer trusted for anything. */
export const removeDomainAction: Action<{ removed: string }> = defineAction("removeDomain", {
  schema: z.object({ orgId: ZId, domainId: ZId }),
  run: removeDomain,
  revalidate: domainsPath,
});
