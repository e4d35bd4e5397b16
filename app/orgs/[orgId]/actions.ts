"use server";

import { z } from "zod";
import { createProject, deleteProject, removeOrganizationMember, renameProject, ZConfirmName, ZId, zName } from "@/lib/membership";
import { defineAction, defineFormAction, type Action, type FormAction, type Revalidation } from "@/lib/server/define-action";

const ZProject = z.object({ orgId: ZId, projectId: ZId });
const orgLayout = (input: { orgId: string }): Revalidation => [`/orgs/${input.orgId}`, "layout"];

/** Removes someone from the organization (Organization Owners only), with every project role they held. */
export const removeOrganizationMemberAction: Action<{ removed: string; projects: number }> = defineAction("removeOrganizationMember", {
  schema: z.object({ orgId: ZId, userId: ZId }),
  run: removeOrganizationMember,
  revalidate: orgLayout,
});

/** Creates a project; its creator becomes its Project Admin and lands on its users page. */
export const createProjectAction: FormAction<{ id: string }> = defineFormAction("createProject", {
  schema: z.object({ orgId: ZId, name: zName("project") }),
  notAForm: "Enter a project name.",
  read: (form) => ({ orgId: form.get("orgId"), name: form.get("name") }),
  run: createProject,
  revalidate: (input) => `/orgs/${input.orgId}/projects`,
  redirect: (input, created) => `/orgs/${input.orgId}/projects/${created.id}/members`,
});

/** Renames a project (Organization Owners only). */
export const renameProjectAction: Action<{ name: string }> = defineAction("renameProject", {
  schema: ZProject.extend({ name: zName("project") }),
  run: renameProject,
  revalidate: orgLayout,
});

/** Deletes a project (Organization Owners only, never the Default Project), confirmed by its name. */
export const deleteProjectAction: Action<{ name: string; removed: number; revoked: number }> = defineAction("deleteProject", {
  schema: ZProject.extend({
    confirmName: ZConfirmName,
  }),
  run: deleteProject,
  revalidate: orgLayout,
});
