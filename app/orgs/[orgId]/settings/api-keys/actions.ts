"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import * as membership from "@/lib/membership";
import { getActor } from "@/lib/auth/session";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getDb } from "@/lib/server/database";
import { endOfUtcDay } from "@/lib/time";

const ZId = z.string().trim().min(1, "Missing id").max(100, "Invalid id");
const ZCreate = z.object({
  orgId: ZId,
  name: membership.zName("key"),
  scope: z.enum(["organization", "projects"], { message: "Choose what the key may do" }),
  projects: z.array(z.object({ projectId: ZId, role: z.enum(membership.API_KEY_ROLES, { message: "Choose Project Admin or Project Read-Only" }) })).max(100, "Choose at most 100 projects").default([]),
  // A date (YYYY-MM-DD): the key stops working at the end of that day, UTC.
  expiresOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Choose a date")
    .refine((d) => endOfUtcDay(d) !== null, "Choose a date that exists on the calendar")
    .nullable()
    .default(null),
});
const ZRevoke = z.object({ orgId: ZId, keyId: ZId });

const keysPath = (orgId: string) => `/orgs/${orgId}/settings/api-keys`;

/** Creates an API key (Organization Owners only); the secret is in the answer once and never again. */
export async function createApiKeyAction(raw: unknown): Promise<ActionResult<{ id: string; secret: string; prefix: string }>> {
  const actor = await getActor();
  const input = ZCreate.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const { expiresOn, ...rest } = input.data;
  const result = await runDomain("createApiKey", () => membership.createApiKey(getDb(), actor, { ...rest, expiresAt: expiresOn ? endOfUtcDay(expiresOn) : null }));
  if (result.ok) revalidatePath(keysPath(input.data.orgId));
  return result;
}

/** Revokes an API key; the next request made with it is refused. */
export async function revokeApiKeyAction(raw: unknown): Promise<ActionResult<{ status: "revoked" }>> {
  const actor = await getActor();
  const input = ZRevoke.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("revokeApiKey", () => membership.revokeApiKey(getDb(), actor, input.data));
  if (result.ok) revalidatePath(keysPath(input.data.orgId));
  return result;
}
