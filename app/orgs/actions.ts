"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getActor } from "@/lib/auth/session";
import { createOrganization } from "@/lib/membership";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getDb } from "@/lib/server/database";

const ZCreateOrganization = z.object({
  name: z.string({ message: "Enter an organization name" }).trim().min(1, "Enter an organization name").max(80, "An organization name has at most 80 characters"),
});

/** Starts an organization: its creator becomes its Owner and lands on its projects. */
export async function createOrganizationAction(
  _prev: ActionResult<{ orgId: string; projectId: string }> | null,
  formData: FormData,
): Promise<ActionResult<{ orgId: string; projectId: string }>> {
  const actor = await getActor();
  const input = ZCreateOrganization.safeParse({ name: formData.get("name") });
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("createOrganization", () => createOrganization(getDb(), actor, input.data));
  if (!result.ok) return result;
  revalidatePath("/orgs", "layout");
  redirect(`/orgs/${result.data.orgId}/projects`);
}
