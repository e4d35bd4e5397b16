import "server-only";
import { z } from "zod";
import { OPERATIONS, type Operation } from "./operations";
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/event-types";
import { ZMembershipEventData, ZProblem, ZTestEventData, zWebhookEvent } from "./schemas";

type JsonSchema = Record<string, unknown>;

/** zod → JSON Schema 2020-12 (what OpenAPI 3.1 uses), without the per-schema $schema line. */
function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "throw" }) as JsonSchema;
  return rest;
}

const problemRef = { $ref: "#/components/schemas/Problem" };
const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: problemRef } } });
const RATE_HEADERS = {
  RateLimit: {
    description: "Requests left in this window and seconds until it resets (IETF RateLimit header fields).",
    schema: { type: "string" },
  },
  "RateLimit-Policy": {
    description:
      'The quota and window of the tighter limit for this request: the key\'s own ("per-key") or its organization\'s over all its keys ("per-organization").',
    schema: { type: "string" },
  },
};

const SECRET_NOT_KEPT =
  "The answer holds a live invitation link, shown once and never stored: " +
  "a repeat with the same Idempotency-Key changes nothing and is refused with 409 `IDEMPOTENT_SECRET_NOT_KEPT`; issue a new link with a new key.";

/** The operation's description, from what the table says about it (so every operation has one). */
function describeOperation(op: Operation): string {
  const parts = [`${op.summary}.`];
  if (op.query && "cursor" in op.query.shape) parts.push("Pages by cursor: pass the `next` or `prev` of an earlier answer as `cursor`.");
  if (op.streams)
    parts.push(
      "The file is streamed as it is read, page by page, so its size is not known up front; a refusal or bad input is answered before any of it.",
    );
  if (op.sendsEmail) parts.push("The emails are queued with the change and sent after the answer.");
  if (op.method === "POST")
    parts.push("With an `Idempotency-Key`, a retry within 24 hours gets the first answer again, byte for byte, and changes nothing.");
  if (op.revealsSecret) parts.push(SECRET_NOT_KEPT);
  parts.push("Whatever the key may not see is answered 404.");
  return parts.join(" ");
}

const WEBHOOK_HEADERS = {
  "webhook-id": {
    description: "The event's stable id (msg_…): the same on every attempt and redelivery; deduplicate on it.",
    required: true,
    schema: { type: "string" },
  },
  "webhook-timestamp": { description: "Seconds since the epoch when this attempt was signed.", required: true, schema: { type: "string" } },
  "webhook-signature": {
    description:
      "Standard Webhooks signatures (`v1,<base64 HMAC-SHA256>` of `id.timestamp.body` with the endpoint's secret), " +
      "space-separated: two during a secret rotation's 24-hour overlap.",
    required: true,
    schema: { type: "string" },
  },
};

/** The `webhooks` section: every event type, its JSON body and the signature headers. */
export function webhookDocuments(): Record<string, JsonSchema> {
  return Object.fromEntries(
    (Object.entries(WEBHOOK_EVENT_TYPES) as [WebhookEventType, string][]).map(([type, description]) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(".", "_")}`,
          summary: type,
          description:
            `${description} Signed per the Standard Webhooks spec; ` +
            `retried with backoff for 24 hours until the endpoint answers 2xx (redirects are not followed).`,
          tags: ["Webhooks"],
          parameters: Object.entries(WEBHOOK_HEADERS).map(([name, h]) => ({ name, in: "header", ...h })),
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: schemaOf(zWebhookEvent(type, type === "webhook.test" ? ZTestEventData : ZMembershipEventData), "output"),
              },
            },
          },
          responses: { "200": { description: "Any 2xx answer: received. Anything else, or no answer within 10 s, is retried." } },
        },
      },
    ]),
  );
}

const FILE_NAME_HEADER = {
  description: 'attachment; filename="…": the name to save the file under (organization, what, the days it covers).',
  schema: { type: "string" },
};

/** A streamed file's content types: text ones as a string described in words, NDJSON as the schema of each of its lines. */
function streamedContent(op: Operation, types: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(types).map(([type, description]) => [
      type,
      {
        schema:
          type === "application/x-ndjson"
            ? { ...schemaOf(op.response, "output"), description }
            : { type: "string", description: `${description} The columns are the properties of each line of application/x-ndjson.` },
      },
    ]),
  );
}

let cached: JsonSchema | undefined;

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas that validate the requests. */
export function buildOpenApiDocument(): JsonSchema {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      description: "An id; one the key may not see is answered 404.",
      schema: { type: "string", minLength: 1, maxLength: 100 },
    }));
    const queryParams = op.query
      ? Object.entries(op.query.shape).map(([name, s]) => {
          const schema = schemaOf(s as z.ZodType, "input");
          const { description, ...rest } = schema;
          return {
            name,
            in: "query",
            required: !(s as z.ZodType).safeParse(undefined).success,
            ...(description ? { description } : {}),
            schema: rest,
          };
        })
      : [];
    const headerParams =
      op.method === "POST"
        ? [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              description:
                "Retry safely: the same key with the same request (the body compared as JSON, fields in any order) within 24 hours " +
                "returns the first answer byte for byte and changes nothing again; " +
                "with a different request it is refused (422).",
              schema: { type: "string", minLength: 1, maxLength: 255, pattern: "^[\\x21-\\x7e]+$" },
            },
          ]
        : [];
    const errors: Record<string, unknown> = {
      "400": problemResponse(
        op.query && "cursor" in op.query.shape
          ? "The request could not be read (BAD_REQUEST), or its `cursor` was not made by this server for this list (INVALID_CURSOR)."
          : "The request could not be read (BAD_REQUEST).",
      ),
      "401": problemResponse("No valid API key (UNAUTHENTICATED): missing, malformed, unknown, revoked or expired."),
      "403": problemResponse("The key may see this but not do it (FORBIDDEN)."),
      "404": problemResponse("Not found, or not visible to this key (NOT_FOUND)."),
      "409": problemResponse(
        `The state does not allow it (CONFLICT, LAST_ADMIN, LAST_OWNER, LIMIT_REACHED, EXPIRED).${
          op.revealsSecret
            ? ` Or IDEMPOTENT_SECRET_NOT_KEPT: ` +
              `this request was already carried out with this Idempotency-Key, and the link it made is not kept.`
            : ""
        }`,
      ),
      ...(op.body ? { "415": problemResponse("The body is not JSON (UNSUPPORTED_MEDIA_TYPE).") } : {}),
      "422": problemResponse(
        "The input is not valid (VALIDATION) or an Idempotency-Key was reused with another request (IDEMPOTENCY_KEY_REUSED).",
      ),
      "429": {
        ...problemResponse(
          "Too many requests with this key or with all of its organization's keys together, or too many emails (RATE_LIMITED).",
        ),
        headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "string" } }, ...RATE_HEADERS },
      },
      "500": problemResponse("Something went wrong on our side; nothing was changed (INTERNAL)."),
    };
    (paths[op.path] ??= {})[op.method.toLowerCase()] = {
      operationId: op.id,
      summary: op.summary,
      description: describeOperation(op),
      tags: [op.tag],
      security: [{ apiKey: [] }],
      parameters: [...pathParams, ...queryParams, ...headerParams],
      ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body, "input") } } } } : {}),
      responses: {
        [String(op.status)]: {
          description: "Success",
          headers: op.streams ? { ...RATE_HEADERS, "Content-Disposition": FILE_NAME_HEADER } : RATE_HEADERS,
          content: op.streams ? streamedContent(op, op.streams) : { "application/json": { schema: schemaOf(op.response, "output") } },
          ...(op.links
            ? {
                links: Object.fromEntries(
                  Object.entries(op.links).map(([name, l]) => [
                    name,
                    {
                      operationId: l.operationId,
                      parameters: {
                        orgId: "$request.path.orgId",
                        ...(op.path.includes("{projectId}") ? { projectId: "$request.path.projectId" } : {}),
                        ...l.parameters,
                      },
                    },
                  ]),
                ),
              }
            : {}),
        },
        ...errors,
      },
    };
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Membership console API",
      version: "1.0.0",
      description:
        "Every membership action of the console over HTTP, with the same rules, refusals and limits. " +
        "Authenticate with an organization API key: `Authorization: Bearer mck_…`. " +
        "Errors are RFC 9457 problem details with a stable `code`.",
      contact: { name: "Membership console operators" },
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/api/v1" }],
    tags: [
      "Organizations",
      "Projects",
      "Collaborators",
      "Invitations",
      "Organization members",
      "Activity",
      "Single sign-on",
      "Verified domains",
      "Webhooks",
    ].map((name) => ({
      name,
      description: `${name} endpoints.`,
    })),
    security: [{ apiKey: [] }],
    paths,
    webhooks: webhookDocuments(),
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An organization API key made on the organization's API keys page." },
      },
      schemas: { Problem: schemaOf(ZProblem, "output") },
    },
  };
  return cached;
}
