import type { ScimAttribute, ScimSchema } from "../types";

export const GROUP_SCHEMA_ID = "urn:ietf:params:scim:schemas:core:2.0:Group";

const attr = (a: Partial<ScimAttribute> & Pick<ScimAttribute, "name" | "description">): ScimAttribute => ({
  type: "string",
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...a,
});

/** The Group attributes this service provider keeps (RFC 7643 §4.2); members are Users only (no nested groups). */
export const GROUP_SCHEMA: ScimSchema = {
  id: GROUP_SCHEMA_ID,
  name: "Group",
  description: "A group of people in the organization. An Organization Owner maps a group to project roles on the Single sign-on page.",
  attributes: [
    attr({
      name: "displayName",
      description: "The group's name, unique in the organization, compared case-insensitively.",
      required: true,
      uniqueness: "server",
    }),
    attr({ name: "externalId", description: "The identity provider's id for the group.", caseExact: true }),
    attr({
      name: "members",
      type: "complex",
      multiValued: true,
      description: "The group's members: Users provisioned in this organization.",
      subAttributes: [
        attr({ name: "value", description: "The id of a User.", mutability: "immutable" }),
        attr({ name: "display", description: "The User's display name (or userName).", mutability: "readOnly" }),
        attr({
          name: "$ref",
          type: "reference",
          referenceTypes: ["User"],
          description: "The URI of the User.",
          mutability: "immutable",
        }),
        attr({ name: "type", description: "Always User.", mutability: "immutable", canonicalValues: ["User"] }),
      ],
    }),
  ],
};
