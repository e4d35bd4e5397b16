"use server";

import { z } from "zod";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
  ZId,
  ZWebhookEventTypes,
  ZWebhookUrl,
  type WebhookEndpointSummary,
} from "@/lib/membership";
import { defineAction, type Action } from "@/lib/server/define-action";

const webhooksPath = (input: { orgId: string }) => `/orgs/${input.orgId}/settings/webhooks`;
const ZEndpoint = z.object({ orgId: ZId, endpointId: ZId });
type Queued = { deliveryId: string; eventId: string };

/** Adds a webhook endpoint (Organization Owners only); its signing secret is in the answer once and never again. */
export const createWebhookEndpointAction: Action<{ endpoint: WebhookEndpointSummary; secret: string }> = defineAction(
  "createWebhookEndpoint",
  {
    schema: z.object({ orgId: ZId, url: ZWebhookUrl, eventTypes: ZWebhookEventTypes }),
    run: createWebhookEndpoint,
    revalidate: webhooksPath,
  },
);

/** Changes an endpoint's URL and events; the secret stays. */
export const updateWebhookEndpointAction: Action<WebhookEndpointSummary> = defineAction("updateWebhookEndpoint", {
  schema: ZEndpoint.extend({ url: ZWebhookUrl, eventTypes: ZWebhookEventTypes }),
  run: updateWebhookEndpoint,
  revalidate: webhooksPath,
});

/** Deletes an endpoint with its delivery log; nothing more is sent to it. */
export const deleteWebhookEndpointAction: Action<{ status: "deleted" }> = defineAction("deleteWebhookEndpoint", {
  schema: ZEndpoint,
  run: deleteWebhookEndpoint,
  revalidate: webhooksPath,
});

/** A new signing secret, in the answer once; the old one keeps signing beside it for the overlap. */
export const rotateWebhookSecretAction: Action<{ secret: string; previousSecretExpiresAt: Date }> = defineAction("rotateWebhookSecret", {
  schema: ZEndpoint,
  run: rotateWebhookSecret,
  revalidate: webhooksPath,
});

/** "Send test event": a webhook.test event to this endpoint only, queued for the job runner. */
export const sendTestWebhookAction: Action<Queued> = defineAction("sendTestWebhook", {
  schema: ZEndpoint,
  run: sendTestWebhook,
  revalidate: webhooksPath,
});

/** "Redeliver": the delivery's event again (same webhook-id), as a new delivery. */
export const redeliverWebhookAction: Action<Queued> = defineAction("redeliverWebhook", {
  schema: ZEndpoint.extend({ deliveryId: ZId }),
  run: redeliverWebhook,
  revalidate: webhooksPath,
});
