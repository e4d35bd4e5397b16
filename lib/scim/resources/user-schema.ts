import type { ScimAttribute, ScimSchema } from "../types";

export const USER_SCHEMA_ID = "urn:ietf:params:scim:schemas:core:2.0:User";

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

/** The User attributes this service provider keeps (RFC 7643 §4.1, the subset Okta and Entra send). */
export const USER_SCHEMA: ScimSchema = {
  id: USER_SCHEMA_ID,
  name: "User",
  description: "A person in the organization. The id is the console's user id.",
  attributes: [
    attr({
      name: "userName",
      description: "Unique identifier for the user in this organization, usually the work address. Compared case-insensitively.",
      required: true,
      uniqueness: "server",
    }),
    attr({
      name: "name",
      type: "complex",
      description: "The person's name.",
      subAttributes: [
        attr({ name: "formatted", description: "The full name, as shown.", mutability: "readOnly" }),
        attr({ name: "givenName", description: "Given name." }),
        attr({ name: "familyName", description: "Family name." }),
      ],
    }),
    attr({ name: "displayName", description: "The name shown in the console when the person has not chosen one." }),
    attr({
      name: "emails",
      type: "complex",
      multiValued: true,
      description:
        "Addresses. The work (or primary) address links the person to their console account when they are created; it cannot move the account to another address later.",
      subAttributes: [
        attr({ name: "value", description: "The address." }),
        attr({ name: "type", description: "Its kind.", canonicalValues: ["work", "home", "other"] }),
        attr({ name: "primary", type: "boolean", description: "Whether it is the primary address." }),
      ],
    }),
    attr({
      name: "active",
      type: "boolean",
      description:
        "false removes the person from the organization (project roles, sessions and API keys end); true brings them back as Organization Member.",
    }),
  ],
};
