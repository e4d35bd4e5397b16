"use server";

import { z } from "zod";
import { createApiKey, revokeApiKey, ZApiKeyRole, ZId, zName, zProjectGrants } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";
import { endOfUtcDay } from "@/lib/time";

const ZCreate = z.object({
  orgId: ZId,
  name: zName("key"),
  scope: z.enum(["organization", "projects"], { message: "Choose what the key may do" }),
  projects: zProjectGrants(ZApiKeyRole).default([]),
  // A date (YYYY-MM-DD): the key stops working at the end of that day, UTC.
  expiresOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date")
    .refine((d) => endOfUtcDay(d) !== null, "Choose a date that exists on the calendar")
    .nullable()
    .default(null),
});

const keysPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/api-keys`;

/** Creates an API key (Organization Owners only); the secret is in the answer once and never again. */
export const createApiKeyAction: Action<{ id: string; secret: string; prefix: string }> = defineAction("createApiKey", {
  schema: ZCreate,
  run: (db, actor, { expiresOn, ...rest }) => createApiKey(db, actor, { ...rest, expiresAt: expiresOn ? endOfUtcDay(expiresOn) : null }),
  revalidate: keysPath,
});

/** Revokes an API key; the next request made with it is refused. */
export const revokeApiKeyAction: Action<{ status: "revoked" }> = defineAction("revokeApiKey", {
  schema: z.object({ orgId: ZId, keyId: ZId }),
  run: revokeApiKey,
  revalidate: keysPath,
});
