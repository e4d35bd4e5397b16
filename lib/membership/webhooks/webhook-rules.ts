import "server-only";
import { isIP } from "node:net";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { webhookEndpoints } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { assertAllowedAddress, ForbiddenAddressError } from "@/lib/webhooks/address-guard";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { DomainError } from "../errors";
import { isUuid } from "../access";

/** Endpoints per organization. */
export const MAX_WEBHOOK_ENDPOINTS = 20;

/** During a rotation the old secret keeps signing beside the new one this long. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

const invalid = (field: string, message: string) => new DomainError("INVALID", message, { [field]: [message] });

/**
 * The URL an endpoint may have: https (http only while loopback endpoints are allowed, in tests),
 * no credentials in it, and not an address webhooks may never reach. A host name is resolved and
 * checked again on every delivery; here only what the URL itself says is judged.
 */
export function checkWebhookUrl(raw: string): string {
  if (!URL.canParse(raw)) throw invalid("url", "Enter a full URL, like https://hooks.example.com/console");
  const url = new URL(raw);
  // A public URL is saved in the "only" mode too (the API fuzz makes them up); its deliveries are refused.
  const allowLoopback = getEnv().WEBHOOK_ALLOW_LOOPBACK !== "0";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowLoopback)) throw invalid("url", "The URL must start with https://");
  if (url.username || url.password) throw invalid("url", "Leave the user name and password out of the URL");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || host.endsWith(".local")) {
    if (!(allowLoopback && host === "localhost")) throw invalid("url", "Webhooks may not be sent to private or loopback addresses");
  }
  if (isIP(host) !== 0) {
    try {
      assertAllowedAddress(host, host, { allowLoopback });
    } catch (err) {
      if (err instanceof ForbiddenAddressError) throw invalid("url", "Webhooks may not be sent to private or loopback addresses");
      throw err;
    }
  }
  return url.toString();
}

/** The chosen events, known ones only, each once, in the documented order. */
export function checkEventTypes(types: readonly string[]): string[] {
  if (types.length === 0) throw invalid("eventTypes", "Choose at least one event");
  if (types.some((t) => !(SUBSCRIBABLE_EVENT_TYPES as readonly string[]).includes(t)))
    throw invalid("eventTypes", "Choose events from the list");
  return SUBSCRIBABLE_EVENT_TYPES.filter((t) => types.includes(t));
}

/** The endpoint, locked, inside its organization; "not found" for anything else. */
export async function lockEndpoint(tx: Db, orgId: string, endpointId: string) {
  if (!isUuid(endpointId)) throw notFoundEndpoint();
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.orgId, orgId)))
    .for("update");
  if (!row) throw notFoundEndpoint();
  return row;
}

export const notFoundEndpoint = () => new DomainError("NOT_FOUND", "This webhook endpoint was not found.");
