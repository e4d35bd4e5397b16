import type { ScimResourceDefinition } from "../types";
import { usersResource } from "./users";
// ── Issue 20: SCIM groups (helper S2) ──
import { groupsResource } from "./groups";

/**
 * Every SCIM resource type the service provider serves, in discovery order. A resource is one
 * file beside this one; listing it here is all the handler and the discovery documents need.
 */
export const SCIM_RESOURCES: readonly ScimResourceDefinition[] = [
  usersResource,
  // ── Groups (issue 20, helper S2) ──
  groupsResource,
];
