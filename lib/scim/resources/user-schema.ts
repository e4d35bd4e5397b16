import type { ScimSchema } from "../types";
import { scimAttribute } from "./attribute";

export const USER_SCHEMA_ID = "urn:ietf:params:scim:schemas:core:2.0:User";

/** The User attributes this service provider keeps (RFC 7643 §4.1, the subset Okta and Entra send). */
export const USER_SCHEMA: ScimSchema = {
  id: USER_SCHEMA_ID,
  name: "User",
  description: "A person in the organization. The id is the console's user id.",
  attributes: [
    scimAttribute({
      name: "userName",
      description: "Unique identifier for the user in this organization, usually the work address. Compared case-insensitively.",
      required: true,
      uniqueness: "server",
    }),
    scimAttribute({
      name: "name",
      type: "complex",
      description: "The person's name.",
      subAttributes: [
        scimAttribute({ name: "formatted", description: "The full name, as shown.", mutability: "readOnly" }),
        scimAttribute({ name: "givenName", description: "Given name." }),
        scimAttribute({ name: "familyName", description: "Family name." }),
      ],
    }),
    scimAttribute({ name: "displayName", description: "The name shown in the console when the person has not chosen one." }),
    scimAttribute({
      name: "emails",
      type: "complex",
      multiValued: true,
      description:
        "Addresses. The work (or primary) address links the person to their console account when they are created; " +
        "it cannot move the account to another address later.",
      subAttributes: [
        scimAttribute({ name: "value", description: "The address." }),
        scimAttribute({ name: "type", description: "Its kind.", canonicalValues: ["work", "home", "other"] }),
        scimAttribute({ name: "primary", type: "boolean", description: "Whether it is the primary address." }),
      ],
    }),
    scimAttribute({
      name: "active",
      type: "boolean",
      description:
        "false removes the person from the organization (project roles, sessions and API keys end); true brings them back as Organization Member.",
    }),
  ],
};
