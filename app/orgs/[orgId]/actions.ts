"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { removeOrganizationMember } from "@/lib/membership";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getActor } from "@/lib/server/actor";
import { getDb } from "@/lib/server/database";

const ZRemoveMember = z.object({ orgId: z.string().trim().min(1).max(100), userId: z.string().trim().min(1).max(200) });

/** Removes someone from the organization (Organization Owners only), with every project role they held. */
export async function removeOrganizationMemberAction(raw: unknown): Promise<ActionResult<{ removed: string; projects: number }>> {
  const actor = await getActor();
  const input = ZRemoveMember.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("removeOrganizationMember", () => removeOrganizationMember(getDb(), actor, input.data));
  if (result.ok) revalidatePath(`/orgs/${input.data.orgId}`, "layout");
  return result;
}
