"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { createWebhookEndpointAction } from "../actions";
import { EventCheckboxes } from "./event-checkboxes";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";

/** URL and events; the new endpoint's signing secret is shown once after it is added. */
export function AddEndpointForm({ orgId }: { orgId: string }) {
  const [events, setEvents] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ secret: string; url: string } | null>(null);
  const create = useAction(createWebhookEndpointAction, {
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      // A refusal of no one field (the endpoint limit, a lost connection) is said in a toast.
      if (!refusal.fieldErrors) toast.error(refusal.message);
    },
  });

  async function submit(form: HTMLFormElement) {
    const url = String(new FormData(form).get("url") ?? "");
    const result = await create.run({ orgId, url, eventTypes: events });
    if (!result.ok) return;
    setErrors({});
    setEvents([]);
    form.reset();
    setCreated({ secret: result.data.secret, url: result.data.endpoint.url });
  }

  return (
    <section aria-labelledby="add-endpoint-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
      <h2 id="add-endpoint-heading" className="text-lg font-semibold">
        Add an endpoint
      </h2>
      {created && (
        <SecretShownOnce
          what="signing secret"
          noun="secret"
          secret={created.secret}
          testId="webhook-secret"
          onDone={() => setCreated(null)}
        >
          <p className="break-all">
            The endpoint <span className="font-mono">{created.url}</span> was added. Its signing secret lets the receiver verify that each
            delivery comes from this console.
          </p>
        </SecretShownOnce>
      )}
      <ClientForm className="mt-3 space-y-4" noValidate onSubmit={submit}>
        <TextField
          label="Endpoint URL"
          name="url"
          type="url"
          maxLength={2000}
          autoComplete="off"
          placeholder="https://hooks.example.com/console"
          errors={errors.url}
          hint="Where events are POSTed as signed JSON. It must start with https:// and be on a public address."
        />
        <EventCheckboxes idPrefix="add" chosen={events} onChange={setEvents} errors={errors.eventTypes} />
        <Button type="submit" pending={create.isPending}>
          Add endpoint
        </Button>
      </ClientForm>
    </section>
  );
}
