import type { ScimUserState, ScimUserView } from "@/lib/membership/scim/scim-user-rules";
import { badRequest, ScimError } from "./errors";
import { USER_SCHEMA_ID } from "./resources/user-schema";

type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** An attribute of a SCIM object by name, case-insensitively (RFC 7643 §2.1). */
export function attribute(obj: Json, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function stringOrNull(v: unknown, name: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw badRequest(`${name} must be a string.`);
  return v;
}

/** A boolean as Okta sends it (true) or as Entra does ("True", "False"). */
export function booleanOf(v: unknown, name: string): boolean {
  if (typeof v === "boolean") return v;
  if (typeof v === "string" && /^(true|false)$/i.test(v)) return v.toLowerCase() === "true";
  throw badRequest(`${name} must be true or false.`);
}

/** The one address the console keeps from `emails`: the primary one, else the work one, else the first. */
export function emailFromList(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) throw badRequest("emails must be a list.");
  const entries = v.filter(isObject);
  const chosen =
    entries.find((e) => attribute(e, "primary") === true || attribute(e, "primary") === "True" || attribute(e, "primary") === "true") ??
    entries.find((e) => String(attribute(e, "type") ?? "").toLowerCase() === "work") ??
    entries[0];
  return chosen ? stringOrNull(attribute(chosen, "value"), "emails.value") : null;
}

/** The state a POST or PUT body describes; attributes the console does not keep (title, phone numbers, extensions) are dropped. */
export function userFromJson(body: unknown): ScimUserState {
  if (!isObject(body)) throw new ScimError(400, "The body must be a SCIM User object.", "invalidSyntax");
  const userName = attribute(body, "userName");
  if (typeof userName !== "string" || userName.trim() === "") throw badRequest("userName is required.");
  const name = attribute(body, "name");
  if (name !== undefined && name !== null && !isObject(name)) throw badRequest("name must be an object.");
  const active = attribute(body, "active");
  return {
    userName,
    externalId: stringOrNull(attribute(body, "externalId"), "externalId"),
    email: emailFromList(attribute(body, "emails")),
    givenName: isObject(name) ? stringOrNull(attribute(name, "givenName"), "name.givenName") : null,
    familyName: isObject(name) ? stringOrNull(attribute(name, "familyName"), "name.familyName") : null,
    displayName: stringOrNull(attribute(body, "displayName"), "displayName"),
    active: active === undefined || active === null ? true : booleanOf(active, "active"),
  };
}

/** A SCIM user as the RFC 7643 User resource; unassigned attributes are left out. */
export function userToJson(u: ScimUserView, baseUrl: string) {
  const formatted = [u.givenName, u.familyName].filter(Boolean).join(" ");
  return {
    schemas: [USER_SCHEMA_ID],
    id: u.id,
    ...(u.externalId !== null ? { externalId: u.externalId } : {}),
    userName: u.userName,
    ...(u.givenName || u.familyName
      ? {
          name: {
            ...(u.givenName ? { givenName: u.givenName } : {}),
            ...(u.familyName ? { familyName: u.familyName } : {}),
            formatted,
          },
        }
      : {}),
    ...(u.displayName ? { displayName: u.displayName } : {}),
    ...(u.email ? { emails: [{ value: u.email, type: "work", primary: true }] } : {}),
    active: u.active,
    meta: {
      resourceType: "User",
      created: u.createdAt.toISOString(),
      lastModified: u.updatedAt.toISOString(),
      location: `${baseUrl}/Users/${encodeURIComponent(u.id)}`,
    },
  };
}
