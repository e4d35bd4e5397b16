import "server-only";
import type { webhookEndpoints } from "@/db/schema";

/** An endpoint as the console and the API show it: never its secret. */
export interface WebhookEndpointSummary {
  id: string;
  url: string;
  eventTypes: string[];
  status: "active" | "failing";
  failingSince: Date | null;
  /** Set during a rotation's overlap: until then the previous secret signs too. */
  previousSecretExpiresAt: Date | null;
  createdAt: Date;
}

/** The summary of a stored endpoint. */
export function toEndpointSummary(row: typeof webhookEndpoints.$inferSelect, now: Date): WebhookEndpointSummary {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.eventTypes,
    status: row.status,
    failingSince: row.failingSince,
    previousSecretExpiresAt: row.previousSecretExpiresAt && row.previousSecretExpiresAt > now ? row.previousSecretExpiresAt : null,
    createdAt: row.createdAt,
  };
}
