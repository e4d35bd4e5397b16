import type { ScimSchema } from "../types";
import { scimAttribute } from "./attribute";

export const GROUP_SCHEMA_ID = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** The Group attributes this service provider keeps (RFC 7643 §4.2); members are Users only (no nested groups). */
export const GROUP_SCHEMA: ScimSchema = {
  id: GROUP_SCHEMA_ID,
  name: "Group",
  description: "A group of people in the organization. An Organization Owner maps a group to project roles on the Single sign-on page.",
  attributes: [
    scimAttribute({
      name: "displayName",
      description: "The group's name, unique in the organization, compared case-insensitively.",
      required: true,
      uniqueness: "server",
    }),
    scimAttribute({ name: "externalId", description: "The identity provider's id for the group.", caseExact: true }),
    scimAttribute({
      name: "members",
      type: "complex",
      multiValued: true,
      description: "The group's members: Users provisioned in this organization.",
      subAttributes: [
        scimAttribute({ name: "value", description: "The id of a User.", mutability: "immutable" }),
        scimAttribute({ name: "display", description: "The User's display name (or userName).", mutability: "readOnly" }),
        scimAttribute({
          name: "$ref",
          type: "reference",
          referenceTypes: ["User"],
          description: "The URI of the User.",
          mutability: "immutable",
        }),
        scimAttribute({ name: "type", description: "Always User.", mutability: "immutable", canonicalValues: ["User"] }),
      ],
    }),
  ],
};
