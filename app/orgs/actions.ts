"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { getActor } from "@/lib/auth/session";
import { createOrganization, setDisplayName, zName } from "@/lib/membership";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getDb } from "@/lib/server/database";

const ZCreateOrganization = z.object({
  name: zName("organization"),
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

const ZDisplayName = z.object({ name: zName("display") });

/** Sets the signed-in person's own display name; every console page shows it at once. */
export async function setDisplayNameAction(raw: unknown): Promise<ActionResult<{ name: string }>> {
  const actor = await getActor();
  const input = ZDisplayName.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("setDisplayName", () => setDisplayName(getDb(), actor, input.data));
  if (result.ok) revalidatePath("/orgs", "layout");
  return result;
}
