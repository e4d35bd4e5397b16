import type { Db } from "@/db/client";
import type { ScimActor } from "@/lib/membership/activity/record-activity";

/** What every resource handler is given: the authenticated token's organization, the database, the clock. */
export interface ScimContext {
  db: Db;
  actor: ScimActor;
  orgId: string;
  /** `${APP_URL}/scim/v2/${orgId}`: the base of every `meta.location`. */
  baseUrl: string;
  now: Date;
}

/** A handler's answer: a status and a SCIM JSON body (none for 204). */
export interface ScimAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One attribute of a schema document (RFC 7643 §7). */
export interface ScimAttribute {
  name: string;
  type: "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  subAttributes?: ScimAttribute[];
  canonicalValues?: string[];
  referenceTypes?: string[];
}

/** A schema document as /Schemas serves it (without `meta`, added by the handler). */
export interface ScimSchema {
  id: string;
  name: string;
  description: string;
  attributes: ScimAttribute[];
}

/**
 * One SCIM resource type (Users, Groups): its discovery entries and its verbs. The handler routes
 * GET/POST on `/{endpoint}` to `list`/`create` and GET/PUT/PATCH/DELETE on `/{endpoint}/{id}` to
 * `read`/`replace`/`patch`/`remove`; a verb left out answers 405. Adding a resource is one file in
 * lib/scim/resources/ and one entry in SCIM_RESOURCES (lib/scim/resources/index.ts).
 */
export interface ScimResourceDefinition {
  /** The resource type's name ("User"). */
  name: string;
  /** The path after the base URL ("Users"). */
  endpoint: string;
  description: string;
  schema: ScimSchema;
  list?: (ctx: ScimContext, query: URLSearchParams) => Promise<ScimAnswer>;
  create?: (ctx: ScimContext, body: unknown) => Promise<ScimAnswer>;
  read?: (ctx: ScimContext, id: string, query: URLSearchParams) => Promise<ScimAnswer>;
  replace?: (ctx: ScimContext, id: string, body: unknown) => Promise<ScimAnswer>;
  patch?: (ctx: ScimContext, id: string, body: unknown) => Promise<ScimAnswer>;
  remove?: (ctx: ScimContext, id: string) => Promise<ScimAnswer>;
}
