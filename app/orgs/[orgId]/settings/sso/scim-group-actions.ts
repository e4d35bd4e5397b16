"use server";

import { z } from "zod";
import { mapScimGroup, unmapScimGroup, ZId, ZProjectRole, type ProjectRole } from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

// ── Issue 20: SCIM group → project role mappings (kept apart from the token actions) ──

const ssoPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/sso`;

/** Maps a SCIM group to a role on a project (Organization Owners only); its members get the role at once. */
export const mapScimGroupAction: Action<{ role: ProjectRole; changed: number }> = defineAction("mapScimGroup", {
  schema: z.object({ orgId: ZId, groupId: ZId, projectId: ZId, role: ZProjectRole }),
  run: mapScimGroup,
  revalidate: ssoPath,
});

/** Removes a group's mapping to a project; its members keep their direct roles, and a project keeps its last admin. */
export const unmapScimGroupAction: Action<{ removed: number }> = defineAction("unmapScimGroup", {
  schema: z.object({ orgId: ZId, groupId: ZId, projectId: ZId }),
  run: unmapScimGroup,
  revalidate: ssoPath,
});
