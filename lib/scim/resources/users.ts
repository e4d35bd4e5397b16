import type { ScimResourceDefinition } from "../types";
import { USER_SCHEMA } from "./user-schema";

/** /Users: people of the organization as the identity provider sees them. */
export const usersResource: ScimResourceDefinition = {
  name: "User",
  endpoint: "Users",
  description: "People of the organization",
  schema: USER_SCHEMA,
};
