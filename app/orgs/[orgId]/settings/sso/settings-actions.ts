"use server";

import { z } from "zod";
import { removeSsoConnection, updateSsoSettings, ZId, ZProjectRole, zProjectGrants } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const ssoPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/sso`;

/** Switches the connection on or off, "Require SSO", and the default project access (Organization Owners only). */
export const updateSsoSettingsAction: Action<{ enabled: boolean; requireSso: boolean }> = defineAction("updateSsoSettings", {
  schema: z.object({
    orgId: ZId,
    enabled: z.boolean().optional(),
    requireSso: z.boolean().optional(),
    defaultGrants: zProjectGrants(ZProjectRole).optional(),
  }),
  run: updateSsoSettings,
  revalidate: ssoPath,
});

/** Removes the organization's connection; members who joined through it stay and sign in by email link. */
export const removeSsoConnectionAction: Action<{ status: "removed" }> = defineAction("removeSsoConnection", {
  schema: z.object({ orgId: ZId }),
  run: removeSsoConnection,
  revalidate: ssoPath,
});
