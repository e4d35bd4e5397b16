"use server";

import { z } from "zod";
import { createScimToken, revokeScimToken, ZId, zName } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

// ── Issue 20: SCIM provisioning tokens (kept apart from the connection actions) ──

const ssoPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/sso`;

/** Creates a SCIM token (Organization Owners only); the token is in the answer once and never again. */
export const createScimTokenAction: Action<{ id: string; token: string; prefix: string }> = defineAction("createScimToken", {
  schema: z.object({ orgId: ZId, name: zName("token") }),
  run: createScimToken,
  revalidate: ssoPath,
});

/** Revokes a SCIM token; the identity provider's next request with it is refused. */
export const revokeScimTokenAction: Action<{ status: "revoked" }> = defineAction("revokeScimToken", {
  schema: z.object({ orgId: ZId, tokenId: ZId }),
  run: revokeScimToken,
  revalidate: ssoPath,
});
