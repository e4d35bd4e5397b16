"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { redirect } from "next/navigation";
import { createProject, deleteProject, removeOrganizationMember, renameProject, zName } from "@/lib/membership";
import { invalidInput, runDomain, type ActionResult } from "@/lib/server/action-result";
import { getActor } from "@/lib/auth/session";
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

const ZCreateProject = z.object({
  orgId: z.string().trim().min(1).max(100),
  name: zName("project"),
});

/** Creates a project; its creator becomes its Project Admin and lands on its users page. */
export async function createProjectAction(_prev: ActionResult<{ id: string }> | null, formData: FormData): Promise<ActionResult<{ id: string }>> {
  const actor = await getActor();
  // Anyone can call an action with arguments of their choosing: anything but a form is refused.
  if (!(formData instanceof FormData)) return { ok: false, code: "INVALID", message: "Enter a project name." };
  const input = ZCreateProject.safeParse({ orgId: formData.get("orgId"), name: formData.get("name") });
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("createProject", () => createProject(getDb(), actor, input.data));
  if (!result.ok) return result;
  revalidatePath(`/orgs/${input.data.orgId}/projects`);
  redirect(`/orgs/${input.data.orgId}/projects/${result.data.id}/members`);
}

const ZRenameProject = z.object({
  orgId: z.string().trim().min(1).max(100),
  projectId: z.string().trim().min(1).max(100),
  name: zName("project"),
});

/** Renames a project (Organization Owners only). */
export async function renameProjectAction(raw: unknown): Promise<ActionResult<{ name: string }>> {
  const actor = await getActor();
  const input = ZRenameProject.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("renameProject", () => renameProject(getDb(), actor, input.data));
  if (result.ok) revalidatePath(`/orgs/${input.data.orgId}`, "layout");
  return result;
}

const ZDeleteProject = z.object({
  orgId: z.string().trim().min(1).max(100),
  projectId: z.string().trim().min(1).max(100),
  confirmName: z.string({ message: "Type the project's name to confirm" }).max(200, "Type the project's name to confirm"),
});

/** Deletes a project (Organization Owners only, never the Default Project), confirmed by its name. */
export async function deleteProjectAction(raw: unknown): Promise<ActionResult<{ name: string; removed: number; revoked: number }>> {
  const actor = await getActor();
  const input = ZDeleteProject.safeParse(raw);
  if (!input.success) return invalidInput(input.error);
  const result = await runDomain("deleteProject", () => deleteProject(getDb(), actor, input.data));
  if (result.ok) revalidatePath(`/orgs/${input.data.orgId}`, "layout");
  return result;
}
