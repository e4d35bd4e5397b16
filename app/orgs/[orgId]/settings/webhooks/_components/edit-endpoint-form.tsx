"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import type { WebhookEndpointSummary } from "@/lib/membership/webhooks/webhook-summary";
import { updateWebhookEndpointAction } from "../actions";
import { EventCheckboxes } from "./event-checkboxes";

/** An endpoint's URL and events, changed in place; its signing secret stays. */
export function EditEndpointForm({ orgId, endpoint, onClose }: { orgId: string; endpoint: WebhookEndpointSummary; onClose: () => void }) {
  const [events, setEvents] = useState<string[]>(endpoint.eventTypes);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const field = `url-${endpoint.id}`;
  const update = useAction(updateWebhookEndpointAction, {
    success: () => "Endpoint saved",
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      if (!refusal.fieldErrors) toast.error(refusal.message);
    },
  });

  async function submit(form: HTMLFormElement) {
    const url = String(new FormData(form).get(field) ?? "");
    const result = await update.run({ orgId, endpointId: endpoint.id, url, eventTypes: events });
    if (result.ok) onClose();
  }

  return (
    <ClientForm
      aria-label={`Edit ${endpoint.url}`}
      className="mt-3 space-y-4 rounded-md border border-slate-200 bg-slate-50 p-3"
      noValidate
      onSubmit={submit}
    >
      <TextField
        label="URL"
        name={field}
        type="url"
        maxLength={2000}
        autoComplete="off"
        defaultValue={endpoint.url}
        // Opened by "Edit": the field to change is where focus goes.
        autoFocus
        errors={errors.url}
        hint="The signing secret stays the same."
      />
      <EventCheckboxes idPrefix={`edit-${endpoint.id}`} chosen={events} onChange={setEvents} errors={errors.eventTypes} />
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" pending={update.isPending}>
          Save endpoint
        </Button>
        <Button size="sm" variant="secondary" disabled={update.isPending} onClick={onClose}>
          Cancel
        </Button>
      </div>
    </ClientForm>
  );
}
