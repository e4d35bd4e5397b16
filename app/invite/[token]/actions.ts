"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { acceptInvitation, declineInvitation } from "@/lib/membership";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getActor } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";

const ZToken = z.object({ token: z.string().min(1, "This invitation link is not valid.").max(200, "This invitation link is not valid.") });

/** Accepts the invitation for the signed-in user (a POST: opening the link alone changes nothing). */
export async function acceptInvitationAction(raw: unknown): Promise<ActionResult<{ orgId: string; projectId: string | null }>> {
  const actor = await getActor();
  const input = ZToken.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("acceptInvitation", () => acceptInvitation(getDb(), actor, input.data));
  if (result.ok) revalidatePath(`/orgs/${result.data.orgId}`, "layout");
  return result;
}

/** Declines the invitation for the signed-in user. */
export async function declineInvitationAction(raw: unknown): Promise<ActionResult<{ status: "declined" }>> {
  const actor = await getActor();
  const input = ZToken.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  return runDomain("declineInvitation", () => declineInvitation(getDb(), actor, input.data));
}
