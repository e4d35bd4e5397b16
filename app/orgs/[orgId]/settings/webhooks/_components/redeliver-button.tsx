"use client";

import { Button } from "@/components/ui/button";
import { useAction } from "@/components/ui/use-action";
import { redeliverWebhookAction } from "../actions";

/** "Redeliver": the same event (same webhook-id) queued again as a new delivery. */
export function RedeliverButton({
  orgId,
  endpointId,
  deliveryId,
  eventId,
}: {
  orgId: string;
  endpointId: string;
  deliveryId: string;
  eventId: string;
}) {
  const redeliver = useAction(redeliverWebhookAction, { success: () => `${eventId} queued again, with the same webhook-id` });
  return (
    <Button
      size="sm"
      variant="ghost"
      pending={redeliver.isPending}
      aria-label={`Redeliver ${eventId}`}
      onClick={() => void redeliver.run({ orgId, endpointId, deliveryId })}
    >
      Redeliver
    </Button>
  );
}
