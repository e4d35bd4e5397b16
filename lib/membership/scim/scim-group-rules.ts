import { isUuid } from "../access";
import { scimText, invalidScimValue } from "./scim-text";
import type { ProjectRole } from "../roles";

/** What the console keeps of a SCIM Group: its names and who is in it (SCIM user ids). */
export interface ScimGroupState {
  displayName: string;
  externalId: string | null;
  memberIds: string[];
}

/** One member of a group as the Group resource shows it. */
export interface ScimGroupMember {
  id: string;
  /** The person's display name, else their userName. */
  display: string;
}

/** A SCIM Group as stored and read. `members` is null when the caller asked to leave them out. */
export interface ScimGroupView {
  id: string;
  displayName: string;
  externalId: string | null;
  members: ScimGroupMember[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One change a PUT or PATCH makes to a group, in the order sent; the protocol layer turns either
 * provider's operations into these (lib/scim/group-json.ts, from what lib/scim/patch.ts parses).
 */
export type ScimGroupChange =
  | { kind: "displayName"; value: string }
  | { kind: "externalId"; value: string | null }
  | { kind: "addMembers"; ids: string[] }
  | { kind: "removeMembers"; ids: string[] }
  /** Every member replaced: an empty list empties the group. */
  | { kind: "replaceMembers"; ids: string[] };

/** A group's mapping "members hold at least this role on this project", set by an Owner. */
export interface ScimGroupMapping {
  projectId: string;
  projectName: string;
  role: ProjectRole;
}

/** The most members one request may name (the body limit allows about 15,000; providers send at most 1,000). */
export const MAX_GROUP_MEMBERS_PER_REQUEST = 10_000;

/** Trims and checks a group's names; the members are checked against the organization's SCIM users by the store. */
export function validScimGroup(state: ScimGroupState): ScimGroupState {
  if (state.memberIds.length > MAX_GROUP_MEMBERS_PER_REQUEST)
    throw invalidScimValue(
      "members",
      `A group is sent with at most ${MAX_GROUP_MEMBERS_PER_REQUEST.toLocaleString("en-US")} members at once.`,
    );
  return {
    displayName: scimText(state.displayName, "displayName", true)!,
    externalId: scimText(state.externalId, "externalId", false),
    memberIds: [...new Set(state.memberIds)],
  };
}

/** The state after a list of changes, applied in order to the stored one. */
export function applyGroupChanges(current: ScimGroupState, changes: readonly ScimGroupChange[]): ScimGroupState {
  const members = new Set(current.memberIds);
  let { displayName, externalId } = current;
  for (const change of changes) {
    switch (change.kind) {
      case "displayName":
        displayName = change.value;
        break;
      case "externalId":
        externalId = change.value;
        break;
      case "addMembers":
        for (const id of change.ids) members.add(id);
        break;
      case "removeMembers":
        for (const id of change.ids) members.delete(id);
        break;
      case "replaceMembers":
        members.clear();
        for (const id of change.ids) members.add(id);
        break;
    }
  }
  return { displayName, externalId, memberIds: [...members] };
}

/** Group ids are uuids; anything else is a group that does not exist. */
export const isScimGroupId = isUuid;
