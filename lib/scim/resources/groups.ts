import "server-only";
import { createScimGroup } from "@/lib/membership/scim/create-scim-group";
import { deleteScimGroup } from "@/lib/membership/scim/delete-scim-group";
import { getScimGroup } from "@/lib/membership/scim/get-scim-group";
import { listScimGroups } from "@/lib/membership/scim/list-scim-groups";
import { patchScimGroup } from "@/lib/membership/scim/patch-scim-group";
import { replaceScimGroup } from "@/lib/membership/scim/replace-scim-group";
import { groupChangesOf, groupFromJson, groupToJson, parseGroupFilter, wantsMembers } from "../group-json";
import { parsePatch } from "../patch";
import { created, listed } from "./answers";
import type { ScimResourceDefinition } from "../types";
import { GROUP_SCHEMA } from "./group-schema";
import { pagingOf } from "./users";

/** /Groups: groups pushed by the identity provider; an Owner maps them to project roles. */
export const groupsResource: ScimResourceDefinition = {
  name: "Group",
  endpoint: "Groups",
  description: "Groups of people in the organization; an Organization Owner maps a group to project roles",
  schema: GROUP_SCHEMA,

  async list(ctx, query) {
    const filter = parseGroupFilter(query.get("filter"));
    const { startIndex, count } = pagingOf(query);
    const page = await listScimGroups(ctx.db, ctx.actor, { orgId: ctx.orgId, filter, startIndex, count, members: wantsMembers(query) });
    return listed(page, (g) => groupToJson(g, ctx.baseUrl), startIndex);
  },

  async create(ctx, body) {
    const group = await createScimGroup(ctx.db, ctx.actor, { orgId: ctx.orgId, group: groupFromJson(body) }, { now: ctx.now });
    return created(groupToJson(group, ctx.baseUrl));
  },

  async read(ctx, id, query) {
    const group = await getScimGroup(ctx.db, ctx.actor, { orgId: ctx.orgId, groupId: id, members: wantsMembers(query) });
    return { status: 200, body: groupToJson(group, ctx.baseUrl) };
  },

  async replace(ctx, id, body) {
    const group = await replaceScimGroup(
      ctx.db,
      ctx.actor,
      { orgId: ctx.orgId, groupId: id, group: groupFromJson(body) },
      { now: ctx.now },
    );
    return { status: 200, body: groupToJson(group, ctx.baseUrl) };
  },

  // 204 (RFC 7644 §3.5.2 allows it): a group of thousands is not sent back for every change of members.
  async patch(ctx, id, body) {
    const changes = groupChangesOf(parsePatch(body));
    await patchScimGroup(ctx.db, ctx.actor, { orgId: ctx.orgId, groupId: id, changes, members: false }, { now: ctx.now });
    return { status: 204 };
  },

  async remove(ctx, id) {
    await deleteScimGroup(ctx.db, ctx.actor, { orgId: ctx.orgId, groupId: id }, { now: ctx.now });
    return { status: 204 };
  },
};
