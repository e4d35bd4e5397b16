"use server";

import { z } from "zod";
import { saveOidcConnection, ZId, zName, type OidcConnectionView } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const ssoPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/sso`;

/**
 * Connects the organization to an OpenID Connect provider, or changes its values (Organization
 * Owners only); the issuer must answer discovery. The secret is never in the answer.
 */
export const saveOidcConnectionAction: Action<OidcConnectionView> = defineAction("saveOidcConnection", {
  schema: z.object({
    orgId: ZId,
    name: zName("connection"),
    issuer: z.string({ message: "Enter the issuer URL of your identity provider." }).max(500, "At most 500 characters"),
    clientId: z.string({ message: "Enter the client ID." }).max(255, "At most 255 characters"),
    // Blank on a change keeps the stored secret (the verb decides; it is required to create).
    clientSecret: z.string().max(1000, "At most 1000 characters").nullish(),
  }),
  run: saveOidcConnection,
  revalidate: ssoPath,
});
