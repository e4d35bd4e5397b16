import { getEnv } from "@/lib/env";

/** The organization's Webhooks page, as an absolute link for an email. */
export function webhooksPageUrl(orgId: string, baseUrl = getEnv().APP_URL): string {
  return new URL(`/orgs/${orgId}/settings/webhooks`, baseUrl).toString();
}
