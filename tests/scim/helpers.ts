import type { Db } from "@/db/client";
import { handleScimRequest, type ScimOptions } from "@/lib/scim/handler";
import { BASE_URL } from "../membership/fixtures";

export const SCIM_OPTIONS: ScimOptions = { appUrl: BASE_URL, perMinute: 100_000 };

export interface ScimAnswer {
  status: number;
  contentType: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/** One request through the SCIM handler, as the identity provider would send it. */
export async function scim(
  db: Db,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
  options: Partial<ScimOptions> & { orgId?: string; rawBody?: string; contentType?: string } = {},
): Promise<ScimAnswer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  const text = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (text !== undefined) headers["content-type"] = options.contentType ?? "application/scim+json";
  const url = `${BASE_URL}/scim/v2/${path.startsWith("/") ? path.slice(1) : path}`;
  const response = await handleScimRequest(db, new Request(url, { method, headers, body: text }), { ...SCIM_OPTIONS, ...options });
  const raw = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    body: raw ? JSON.parse(raw) : null,
    headers: response.headers,
  };
}
