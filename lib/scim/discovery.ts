import { SCIM_RESOURCES } from "./resources";
import type { ScimResourceDefinition } from "./types";

export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

/** The most resources one list answer holds: a larger `count` is lowered to it (RFC 7644 §3.4.2.4). */
export const SCIM_MAX_RESULTS = 200;

/**
 * What this service provider supports (RFC 7643 §5): PATCH yes; filters yes (the subset each
 * resource documents, at most SCIM_MAX_RESULTS a page); bulk, sort, ETags and password changes no
 * (people sign in by email link or SSO: the console holds no passwords).
 */
export function serviceProviderConfig(baseUrl: string) {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    documentationUri: "https://datatracker.ietf.org/doc/html/rfc7644",
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description:
          "A SCIM token an Organization Owner creates on the Single sign-on settings page, sent as Authorization: Bearer <token>.",
        specUri: "https://datatracker.ietf.org/doc/html/rfc6750",
        primary: true,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${baseUrl}/ServiceProviderConfig` },
  };
}

/** One resource type as /ResourceTypes describes it (RFC 7643 §6). */
export function resourceTypeDocument(r: ScimResourceDefinition, baseUrl: string) {
  return {
    schemas: [RESOURCE_TYPE_SCHEMA],
    id: r.name,
    name: r.name,
    endpoint: `/${r.endpoint}`,
    description: r.description,
    schema: r.schema.id,
    schemaExtensions: [],
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${r.name}` },
  };
}

/** One schema as /Schemas describes it (RFC 7643 §7). */
export function schemaDocument(r: ScimResourceDefinition, baseUrl: string) {
  return {
    schemas: [SCHEMA_SCHEMA],
    ...r.schema,
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${r.schema.id}` },
  };
}

/** A list answer (RFC 7644 §3.4.2). */
export function listResponse(resources: unknown[], totalResults: number, startIndex = 1) {
  return { schemas: [LIST_RESPONSE_SCHEMA], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}

export function resourceTypes(baseUrl: string) {
  return SCIM_RESOURCES.map((r) => resourceTypeDocument(r, baseUrl));
}

export function schemas(baseUrl: string) {
  return SCIM_RESOURCES.map((r) => schemaDocument(r, baseUrl));
}
