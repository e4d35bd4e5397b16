import "server-only";
import { getEnv } from "@/lib/env";

/** Absolute links put in emails. */
export function invitationUrl(token: string, baseUrl = getEnv().APP_URL): string {
  return new URL(`/invite/${token}`, baseUrl).toString();
}

export function projectUrl(orgId: string, projectId: string, baseUrl = getEnv().APP_URL): string {
  return new URL(`/orgs/${orgId}/projects/${projectId}/members`, baseUrl).toString();
}
