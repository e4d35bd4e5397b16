import "server-only";
import { deleteScimUser } from "@/lib/membership/scim/delete-scim-user";
import { getScimUser } from "@/lib/membership/scim/get-scim-user";
import { listScimUsers } from "@/lib/membership/scim/list-scim-users";
import { provisionUser } from "@/lib/membership/scim/provision-user";
import { updateScimUser } from "@/lib/membership/scim/update-scim-user";
import { SCIM_MAX_RESULTS } from "../discovery";
import { badRequest } from "../errors";
import { parseUserFilter } from "../filter";
import { applyUserPatch, parsePatch } from "../patch";
import { created, listed } from "./answers";
import type { ScimResourceDefinition } from "../types";
import { userFromJson, userToJson } from "../user-json";
import { USER_SCHEMA } from "./user-schema";

/** startIndex (1-based, below 1 means 1) and count (negative means 0, above the maximum is lowered), RFC 7644 §3.4.2.4. */
export function pagingOf(query: URLSearchParams): { startIndex: number; count: number } {
  const int = (name: string, fallback: number) => {
    const raw = query.get(name);
    if (raw === null || raw === "") return fallback;
    if (!/^-?\d{1,9}$/.test(raw.trim())) throw badRequest(`${name} must be an integer.`);
    return Number(raw.trim());
  };
  return { startIndex: Math.max(1, int("startIndex", 1)), count: Math.min(SCIM_MAX_RESULTS, Math.max(0, int("count", SCIM_MAX_RESULTS))) };
}

/** /Users: people of the organization as the identity provider sees them. */
export const usersResource: ScimResourceDefinition = {
  name: "User",
  endpoint: "Users",
  description: "People of the organization",
  schema: USER_SCHEMA,

  async list(ctx, query) {
    const filter = parseUserFilter(query.get("filter"));
    const { startIndex, count } = pagingOf(query);
    const page = await listScimUsers(ctx.db, ctx.actor, { orgId: ctx.orgId, filter, startIndex, count });
    return listed(page, (u) => userToJson(u, ctx.baseUrl), startIndex);
  },

  async create(ctx, body) {
    const user = await provisionUser(ctx.db, ctx.actor, { orgId: ctx.orgId, user: userFromJson(body) }, { now: ctx.now });
    return created(userToJson(user, ctx.baseUrl));
  },

  async read(ctx, id) {
    return { status: 200, body: userToJson(await getScimUser(ctx.db, ctx.actor, { orgId: ctx.orgId, userId: id }), ctx.baseUrl) };
  },

  async replace(ctx, id, body) {
    const next = userFromJson(body);
    const user = await updateScimUser(ctx.db, ctx.actor, { orgId: ctx.orgId, userId: id, change: () => next }, { now: ctx.now });
    return { status: 200, body: userToJson(user, ctx.baseUrl) };
  },

  async patch(ctx, id, body) {
    const operations = parsePatch(body);
    const user = await updateScimUser(
      ctx.db,
      ctx.actor,
      { orgId: ctx.orgId, userId: id, change: (current) => applyUserPatch(current, operations) },
      { now: ctx.now },
    );
    return { status: 200, body: userToJson(user, ctx.baseUrl) };
  },

  async remove(ctx, id) {
    await deleteScimUser(ctx.db, ctx.actor, { orgId: ctx.orgId, userId: id }, { now: ctx.now });
    return { status: 204 };
  },
};
