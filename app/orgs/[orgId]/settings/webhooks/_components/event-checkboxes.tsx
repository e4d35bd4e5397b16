"use client";

import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field";
import { SUBSCRIBABLE_EVENT_TYPES, WEBHOOK_EVENT_TYPES, type WebhookEventType } from "@/lib/webhooks/event-types";

/** The events an endpoint receives, one checkbox each, with "Choose all" and "Choose none". */
export function EventCheckboxes({
  idPrefix,
  chosen,
  onChange,
  errors,
}: {
  idPrefix: string;
  chosen: readonly string[];
  onChange: (next: string[]) => void;
  errors?: string[];
}) {
  const errorId = `${idPrefix}-events-error`;
  const toggle = (type: WebhookEventType, on: boolean) =>
    onChange(SUBSCRIBABLE_EVENT_TYPES.filter((t) => (t === type ? on : chosen.includes(t))));
  return (
    <fieldset aria-describedby={errors?.length ? errorId : undefined}>
      <legend className="text-sm font-medium text-slate-800">Events</legend>
      <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <span>
          {chosen.length} of {SUBSCRIBABLE_EVENT_TYPES.length} chosen
        </span>
        <Button size="sm" variant="ghost" onClick={() => onChange([...SUBSCRIBABLE_EVENT_TYPES])}>
          Choose all
        </Button>
        <Button size="sm" variant="ghost" onClick={() => onChange([])}>
          Choose none
        </Button>
      </div>
      <ul className="mt-2 grid gap-2 md:grid-cols-2">
        {SUBSCRIBABLE_EVENT_TYPES.map((type) => {
          const id = `${idPrefix}-event-${type}`;
          return (
            <li key={type} className="flex items-start gap-2 text-sm">
              <input
                id={id}
                type="checkbox"
                className="mt-1"
                checked={chosen.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              <label htmlFor={id} className="min-w-0">
                <code className="font-mono font-medium">{type}</code>
                <span className="block text-slate-600">{WEBHOOK_EVENT_TYPES[type]}</span>
              </label>
            </li>
          );
        })}
      </ul>
      <FieldError id={errorId} messages={errors} />
    </fieldset>
  );
}
