"use server";

import { z } from "zod";
import { saveOidcConnection, ZId, zName, ZOidcFields, type OidcConnectionView } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const ssoPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/sso`;

/**
 * Connects the organization to an OpenID Connect provider, or changes its values (Organization
 * Owners only); the issuer must answer discovery. The secret is never in the answer.
 */
export const saveOidcConnectionAction: Action<OidcConnectionView> = defineAction("saveOidcConnection", {
  schema: z.object({ orgId: ZId, name: zName("connection"), ...ZOidcFields.shape }),
  run: saveOidcConnection,
  revalidate: ssoPath,
});
