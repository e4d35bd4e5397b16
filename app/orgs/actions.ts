"use server";

import { z } from "zod";
import { createOrganization, setDisplayName, zName } from "@/lib/membership";
import { defineAction, defineFormAction, type Action, type FormAction } from "@/lib/server/define-action";

/** Starts an organization: its creator becomes its Owner and lands on its projects. */
export const createOrganizationAction: FormAction<{ orgId: string; projectId: string }> = defineFormAction("createOrganization", {
  schema: z.object({ name: zName("organization") }),
  read: (form) => ({ name: form.get("name") }),
  run: createOrganization,
  revalidate: () => ["/orgs", "layout"],
  redirect: (_input, created) => `/orgs/${created.orgId}/projects`,
});

/** Sets the signed-in person's own display name; every console page shows it at once. */
export const setDisplayNameAction: Action<{ name: string }> = defineAction("setDisplayName", {
  schema: z.object({ name: zName("display") }),
  run: setDisplayName,
  revalidate: () => ["/orgs", "layout"],
});
