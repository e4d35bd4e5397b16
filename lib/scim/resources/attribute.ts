import type { ScimAttribute } from "../types";

/** An attribute of a resource schema (RFC 7643 §7), a single-valued, optional, writable string unless told otherwise. */
export const scimAttribute = (a: Partial<ScimAttribute> & Pick<ScimAttribute, "name" | "description">): ScimAttribute => ({
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...a,
});
