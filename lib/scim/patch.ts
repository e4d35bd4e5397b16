import type { ScimUserState } from "@/lib/membership/scim/scim-user-rules";
import { badRequest, ScimError } from "./errors";
import { attribute, booleanOf, emailFromList, isObject, stringOrNull } from "./user-json";

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const MAX_PATCH_OPERATIONS = 1000;

export interface PatchOperation {
  op: "add" | "replace" | "remove";
  /** The path as sent, or null for an operation whose value names the attributes. */
  path: string | null;
  value: unknown;
}

/**
 * The operations of a PATCH body (RFC 7644 §3.5.2), in either provider's dialect: `op` in any case
 * (Okta "replace", Entra "Replace"), with or without a path.
 */
export function parsePatch(body: unknown): PatchOperation[] {
  if (!isObject(body)) throw new ScimError(400, "The body must be a SCIM PatchOp message.", "invalidSyntax");
  const schemas = attribute(body, "schemas");
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.includes(PATCH_OP_SCHEMA)))
    throw new ScimError(400, `A PATCH body names the schema ${PATCH_OP_SCHEMA}.`, "invalidSyntax");
  const operations = attribute(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0)
    throw new ScimError(400, "A PATCH body has a non-empty Operations list.", "invalidSyntax");
  if (operations.length > MAX_PATCH_OPERATIONS)
    throw new ScimError(400, `A PATCH body has at most ${MAX_PATCH_OPERATIONS} operations.`, "tooMany");
  return operations.map((o) => {
    if (!isObject(o)) throw new ScimError(400, "Each operation is an object.", "invalidSyntax");
    const op = String(attribute(o, "op") ?? "").toLowerCase();
    if (op !== "add" && op !== "replace" && op !== "remove")
      throw new ScimError(400, "Each operation's op is add, replace or remove.", "invalidSyntax");
    const path = attribute(o, "path");
    if (path !== undefined && path !== null && typeof path !== "string") throw new ScimError(400, "path must be a string.", "invalidPath");
    const value = attribute(o, "value");
    if ((path === undefined || path === null) && op === "remove") throw new ScimError(400, "A remove operation needs a path.", "noTarget");
    if ((path === undefined || path === null) && !isObject(value))
      throw new ScimError(400, "An operation without a path has an object as value.", "invalidValue");
    return { op, path: typeof path === "string" && path.trim() !== "" ? path.trim() : null, value };
  });
}

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:user:";
// attr, attr.sub, attr[filter], attr[filter].sub
const PATH = /^([A-Za-z][A-Za-z0-9_$-]*)(?:\[\s*([^\]]*?)\s*\])?(?:\.([A-Za-z][A-Za-z0-9_$-]*))?$/;
const EMAIL_FILTER = /^(type\s+eq\s+"([^"]*)"|primary\s+eq\s+true)$/i;

/**
 * The User after the operations, applied in order. Attributes the console does not keep (title,
 * phone numbers, the enterprise extension…) are accepted and dropped, as a provider maps many.
 */
export function applyUserPatch(current: ScimUserState, operations: readonly PatchOperation[]): ScimUserState {
  let state = { ...current };
  for (const operation of operations) {
    if (operation.path === null) {
      for (const [key, value] of Object.entries(operation.value as Record<string, unknown>))
        state = applyPath(state, operation.op, key, value);
    } else state = applyPath(state, operation.op, operation.path, operation.value);
  }
  return state;
}

function applyPath(state: ScimUserState, op: PatchOperation["op"], rawPath: string, value: unknown): ScimUserState {
  let path = rawPath;
  if (path.toLowerCase().startsWith(CORE_USER)) path = path.slice(CORE_USER.length);
  else if (path.toLowerCase().startsWith("urn:")) return state; // an extension schema the console does not keep
  const match = PATH.exec(path);
  if (!match) throw new ScimError(400, `The path ${JSON.stringify(rawPath)} is not valid.`, "invalidPath");
  const [, attr = "", filter, sub] = match;
  const remove = op === "remove";
  const text = (name: string) => (remove ? null : stringOrNull(value, name));
  switch (attr.toLowerCase()) {
    case "username":
      if (remove) throw new ScimError(400, "userName cannot be removed.", "mutability");
      return { ...state, userName: stringOrNull(value, "userName") ?? "" };
    case "externalid":
      return { ...state, externalId: text("externalId") };
    case "displayname":
      return { ...state, displayName: text("displayName") };
    case "active":
      if (remove) throw new ScimError(400, "active cannot be removed; set it to false.", "mutability");
      return { ...state, active: booleanOf(value, "active") };
    case "name":
      return applyName(state, remove, sub, value);
    case "emails":
      return applyEmails(state, op, filter, sub, value);
    default:
      return state;
  }
}

function applyName(state: ScimUserState, remove: boolean, sub: string | undefined, value: unknown): ScimUserState {
  if (sub === undefined) {
    if (remove) return { ...state, givenName: null, familyName: null };
    if (!isObject(value)) throw badRequest("name must be an object.");
    const given = attribute(value, "givenName");
    const family = attribute(value, "familyName");
    return {
      ...state,
      givenName: given === undefined ? state.givenName : stringOrNull(given, "name.givenName"),
      familyName: family === undefined ? state.familyName : stringOrNull(family, "name.familyName"),
    };
  }
  const v = remove ? null : stringOrNull(value, `name.${sub}`);
  switch (sub.toLowerCase()) {
    case "givenname":
      return { ...state, givenName: v };
    case "familyname":
      return { ...state, familyName: v };
    default:
      return state; // formatted, middleName, honorificPrefix…: not kept
  }
}

function applyEmails(
  state: ScimUserState,
  op: PatchOperation["op"],
  filter: string | undefined,
  sub: string | undefined,
  value: unknown,
): ScimUserState {
  if (filter !== undefined) {
    const f = EMAIL_FILTER.exec(filter);
    if (!f) throw new ScimError(400, `The filter ${JSON.stringify(filter)} in the path is not supported.`, "invalidFilter");
    // The console keeps the work (primary) address only: other kinds are dropped.
    if (f[2] !== undefined && f[2].toLowerCase() !== "work") return state;
  }
  if (op === "remove") return sub === undefined || sub.toLowerCase() === "value" ? { ...state, email: null } : state;
  if (sub !== undefined) return sub.toLowerCase() === "value" ? { ...state, email: stringOrNull(value, "emails.value") } : state;
  if (filter !== undefined) {
    if (!isObject(value)) throw badRequest("The value of an email must be an object.");
    return { ...state, email: stringOrNull(attribute(value, "value"), "emails.value") };
  }
  return { ...state, email: emailFromList(Array.isArray(value) ? value : [value]) };
}
