import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { apiKeys } from "@/db/schema";
import { handleApiRequest, type ApiOptions } from "@/lib/api/handler";
import type { ApiRateLimits } from "@/lib/api/rate-limits";
import { createApiKey, revokeApiKey } from "@/lib/membership";
import { BASE_URL, type World } from "../membership/fixtures";
import { KEY_KINDS, type KeyKind } from "../shared-fixtures";

export { KEY_KINDS, type KeyKind };

/** One key of each kind for a world, made through the domain as an Organization Owner would. */
export async function makeKeys(db: Db, w: World): Promise<Record<KeyKind, string | null>> {
  const owner = w.actors.owner;
  const make = (input: Parameters<typeof createApiKey>[2], who = owner) => createApiKey(db, who, input).then((k) => k);
  const ownerKey = await make({ orgId: w.org.id, name: "owner key", scope: "organization" });
  const adminOther = await make({
    orgId: w.org.id,
    name: "side admin",
    scope: "projects",
    projects: [{ projectId: w.sideProject.id, role: "admin" }],
  });
  const readOnly = await make({
    orgId: w.org.id,
    name: "reader",
    scope: "projects",
    projects: [{ projectId: w.project.id, role: "read_only" }],
  });
  const revoked = await make({ orgId: w.org.id, name: "revoked", scope: "organization" });
  await revokeApiKey(db, owner, { orgId: w.org.id, keyId: revoked.id });
  const expired = await make({ orgId: w.org.id, name: "expired", scope: "organization", expiresAt: new Date(Date.now() + 60_000) });
  await db
    .update(apiKeys)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(apiKeys.id, expired.id));
  const foreign = await make({ orgId: w.foreign.org.id, name: "foreign", scope: "organization" }, w.foreign.owner);
  return {
    owner: ownerKey.secret,
    adminOfOtherProject: adminOther.secret,
    readOnly: readOnly.secret,
    revoked: revoked.secret,
    expired: expired.secret,
    otherOrganization: foreign.secret,
    none: null,
    malformed: "mck_not-a-real-key",
  };
}

export const API_OPTIONS: ApiOptions = { baseUrl: BASE_URL, rateLimit: { perMinute: 100_000, perOrganizationPerMinute: 100_000 } };

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  /** The answer's text as sent. */
  text: string;
  contentType: string;
}

/** One request straight into the API handler, as the route would pass it. */
export async function api(
  db: Db,
  key: string | null,
  method: string,
  path: string,
  options: {
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    api?: Partial<Omit<ApiOptions, "rateLimit">> & { rateLimit?: Partial<ApiRateLimits> };
  } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await handleApiRequest(db, new Request(`${BASE_URL}/api/v1${path}`, { method, headers, body }), {
    ...API_OPTIONS,
    ...options.api,
    rateLimit: { ...API_OPTIONS.rateLimit, ...options.api?.rateLimit },
  });
  const text = await response.text();
  const contentType = response.headers.get("content-type") ?? "";
  // A streamed file (the audit export) is not JSON: its text is kept as it came.
  const json = /^application\/(?:[\w.+-]+\+)?json\b/.test(contentType);
  return {
    status: response.status,
    headers: response.headers,
    body: text && json ? (JSON.parse(text) as Record<string, unknown>) : {},
    text,
    contentType,
  };
}
