import type { ScimGroupChange, ScimGroupState, ScimGroupView } from "@/lib/membership/scim/scim-group-rules";
import type { ScimGroupFilter } from "@/lib/membership/scim/list-scim-groups";
import { badRequest, ScimError } from "./errors";
import { parseComparison } from "./filter";
import type { PatchOperation } from "./patch";
import { GROUP_SCHEMA_ID } from "./resources/group-schema";
import { attribute, isObject, stringOrNull } from "./user-json";

// ── Issue 20: the Group resource's JSON, filter and PATCH dialects (Okta's and Entra's) ──

/** The member ids of a `members` value: a list of `{ "value": id }` (or one such object). */
export function memberIdsOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((m) => {
    if (!isObject(m)) throw badRequest("Each member is an object with a value (the id of a User).");
    const id = attribute(m, "value");
    if (typeof id !== "string" || id.trim() === "") throw badRequest("Each member has a value: the id of a User.");
    return id.trim();
  });
}

/** The state a POST or PUT body describes (members left out: an empty group). */
export function groupFromJson(body: unknown): ScimGroupState {
  if (!isObject(body)) throw new ScimError(400, "The body must be a SCIM Group object.", "invalidSyntax");
  const displayName = attribute(body, "displayName");
  if (typeof displayName !== "string" || displayName.trim() === "") throw badRequest("displayName is required.");
  return {
    displayName,
    externalId: stringOrNull(attribute(body, "externalId"), "externalId"),
    memberIds: memberIdsOf(attribute(body, "members")),
  };
}

/** A SCIM group as the RFC 7643 Group resource; `members` left out when not asked for. */
export function groupToJson(g: ScimGroupView, baseUrl: string) {
  return {
    schemas: [GROUP_SCHEMA_ID],
    id: g.id,
    ...(g.externalId !== null ? { externalId: g.externalId } : {}),
    displayName: g.displayName,
    ...(g.members
      ? {
          members: g.members.map((m) => ({
            value: m.id,
            display: m.display,
            type: "User",
            $ref: `${baseUrl}/Users/${encodeURIComponent(m.id)}`,
          })),
        }
      : {}),
    meta: {
      resourceType: "Group",
      created: g.createdAt.toISOString(),
      lastModified: g.updatedAt.toISOString(),
      location: `${baseUrl}/Groups/${g.id}`,
    },
  };
}

/**
 * Whether an answer should carry the members: not when `excludedAttributes` names them (Entra
 * sends `excludedAttributes=members` on lookups) or `attributes` is given without them.
 */
export function wantsMembers(query: URLSearchParams): boolean {
  const names = (p: string) =>
    (query.get(p) ?? "")
      .split(",")
      .map((a) => a.trim().toLowerCase().replace(`${GROUP_SCHEMA_ID.toLowerCase()}:`, ""))
      .filter(Boolean);
  if (names("excludedAttributes").includes("members")) return false;
  const only = names("attributes");
  return only.length === 0 || only.some((a) => a === "members" || a.startsWith("members."));
}

const GROUP_FILTER = {
  pattern: /^\s*([A-Za-z0-9:._-]+)\s+([A-Za-z]+)\s+("(?:[^"\\]|\\.)*")\s*$/,
  supported: 'Supported filters: displayName eq "…", externalId eq "…".',
};

/** Parses the /Groups filter subset: `displayName eq "…"` or `externalId eq "…"` (names and operator case-insensitive). */
export function parseGroupFilter(raw: string | null): ScimGroupFilter | null {
  if (raw === null) return null;
  const { rawPath, value, invalid: invalidFilter } = parseComparison(raw, GROUP_FILTER);
  const path = rawPath.toLowerCase().replace(`${GROUP_SCHEMA_ID.toLowerCase()}:`, "");
  if (typeof value !== "string") throw invalidFilter(`Compare ${rawPath} with a string.`);
  if (path === "displayname") return { attribute: "displayName", value };
  if (path === "externalid") return { attribute: "externalId", value };
  throw invalidFilter(`Filtering on ${rawPath} is not supported.`);
}

// members[value eq "id"], the one filtered path providers send (Okta's remove of one member).
const MEMBER_FILTER = /^members\s*\[\s*value\s+eq\s+("(?:[^"\\]|\\.)*")\s*\]$/i;

/**
 * The changes a PATCH body's operations make to a group, in either dialect: Okta's
 * `{"op":"add","path":"members","value":[{"value":id}]}`, `{"op":"remove","path":"members[value eq \"id\"]"}`,
 * `{"op":"replace","value":{"id":…,"displayName":…}}`; Entra's `"op":"Add"/"Remove"/"Replace"`
 * with `"path":"members"` and a value list, or `"path":"displayName"`. `remove` of `members`
 * without a value empties the group. Attributes the console does not keep are ignored.
 */
export function groupChangesOf(operations: readonly PatchOperation[]): ScimGroupChange[] {
  const changes: ScimGroupChange[] = [];
  for (const o of operations) {
    if (o.path === null) {
      for (const [key, value] of Object.entries(o.value as Record<string, unknown>)) changes.push(...changeAt(o.op, key, value));
    } else changes.push(...changeAt(o.op, o.path, o.value));
  }
  return changes;
}

function changeAt(op: PatchOperation["op"], rawPath: string, value: unknown): ScimGroupChange[] {
  const path = rawPath.trim().replace(new RegExp(`^${GROUP_SCHEMA_ID.replace(/[.:]/g, "\\$&")}:`, "i"), "");
  const filtered = MEMBER_FILTER.exec(path);
  if (filtered) {
    let id: unknown;
    try {
      id = JSON.parse(filtered[1]!);
    } catch {
      throw new ScimError(400, `The path ${JSON.stringify(rawPath)} is not valid.`, "invalidPath");
    }
    if (op !== "remove") throw new ScimError(400, "A filtered members path is only supported with remove.", "invalidPath");
    return [{ kind: "removeMembers", ids: [String(id)] }];
  }
  switch (path.toLowerCase()) {
    case "displayname":
      if (op === "remove") throw new ScimError(400, "displayName cannot be removed.", "mutability");
      if (typeof value !== "string") throw badRequest("displayName must be a string.");
      return [{ kind: "displayName", value }];
    case "externalid":
      return [{ kind: "externalId", value: op === "remove" ? null : stringOrNull(value, "externalId") }];
    case "members":
      if (op === "add") return [{ kind: "addMembers", ids: memberIdsOf(value) }];
      if (op === "replace") return [{ kind: "replaceMembers", ids: memberIdsOf(value) }];
      return value === undefined || value === null
        ? [{ kind: "replaceMembers", ids: [] }]
        : [{ kind: "removeMembers", ids: memberIdsOf(value) }];
    default:
      if (/^[A-Za-z$][\w$-]*(\.[\w$-]+)?$/.test(path) || path.toLowerCase().startsWith("urn:")) return []; // id, schemas, meta, an extension: not kept
      throw new ScimError(400, `The path ${JSON.stringify(rawPath)} is not valid.`, "invalidPath");
  }
}
