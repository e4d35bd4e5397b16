"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import type { WebhookEndpointSummary } from "@/lib/membership/webhooks/webhook-summary";
import { formatDateTimeUtc } from "@/lib/time";
import { SUBSCRIBABLE_EVENT_TYPES } from "@/lib/webhooks/event-types";
import { deleteWebhookEndpointAction, rotateWebhookSecretAction, sendTestWebhookAction } from "../actions";
import { EditEndpointForm } from "./edit-endpoint-form";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";

/**
 * One endpoint: its URL, events and status; "Send test event", "Edit", "Rotate secret", "Delete",
 * and its delivery log (the page renders it, as `children`, for the endpoint whose log is open).
 */
export function EndpointItem({
  orgId,
  endpoint: e,
  overlapHours,
  isLogOpen,
  children,
}: {
  orgId: string;
  endpoint: WebhookEndpointSummary;
  overlapHours: number;
  isLogOpen: boolean;
  children?: ReactNode;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const [isEditing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // Saved or cancelled: focus goes back to "Edit", not to the top of the page.
  useEffect(() => {
    if (!isEditing && wasEditing.current) editButton.current?.focus();
    wasEditing.current = isEditing;
  }, [isEditing]);
  const [rotated, setRotated] = useState<{ secret: string; until: Date } | null>(null);
  const logHref = `${pathname}?log=${e.id}`;
  const sendTest = useAction(sendTestWebhookAction, {
    success: () => "Test event queued: the delivery log shows how it went",
    // The log is where the outcome appears: open it if it is not.
    onSuccess: () => {
      if (!isLogOpen) router.replace(logHref, { scroll: false });
    },
  });
  const rotate = useAction(rotateWebhookSecretAction, {
    onSuccess: (r) => setRotated({ secret: r.secret, until: new Date(r.previousSecretExpiresAt) }),
  });
  const remove = useAction(deleteWebhookEndpointAction, { success: () => `The endpoint ${e.url} was deleted` });
  const headingId = `endpoint-${e.id}`;
  const allEvents = e.eventTypes.length === SUBSCRIBABLE_EVENT_TYPES.length;

  return (
    <li aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <h3 id={headingId} className="min-w-0 break-all font-mono text-base font-semibold">
          {e.url}
        </h3>
        <span
          data-testid="endpoint-status"
          className={`rounded-full border px-2 py-0.5 text-sm ${
            e.status === "failing" ? "border-red-300 bg-red-50 text-red-900" : "border-emerald-300 bg-emerald-50 text-emerald-900"
          }`}
        >
          {e.status === "failing" ? "Failing" : "Active"}
        </span>
      </div>
      {e.status === "failing" && (
        <p role="note" className="mt-2 text-sm text-red-800">
          Failing since {e.failingSince ? formatDateTimeUtc(e.failingSince) : "recently"}: a delivery was retried for 24 hours without a 2xx
          answer, and the Owners were told by email. Deliveries go on; the next one that succeeds makes the endpoint active again.
        </p>
      )}
      <div className="mt-2 text-sm">
        <span className="text-slate-600">
          {allEvents ? `All ${e.eventTypes.length} events: ` : `${e.eventTypes.length} of ${SUBSCRIBABLE_EVENT_TYPES.length} events: `}
        </span>
        <ul aria-label={`Events of ${e.url}`} className="mt-1 flex flex-wrap gap-1">
          {e.eventTypes.map((t) => (
            <li key={t} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
              {t}
            </li>
          ))}
        </ul>
      </div>
      <p className="mt-2 text-sm text-slate-600">
        Added {formatDateTimeUtc(e.createdAt)}.
        {e.previousSecretExpiresAt && ` The previous signing secret signs too until ${formatDateTimeUtc(e.previousSecretExpiresAt)}.`}
      </p>
      {rotated && (
        <SecretShownOnce
          what="signing secret"
          noun="secret"
          secret={rotated.secret}
          testId="webhook-secret"
          onDone={() => setRotated(null)}
        >
          <p>
            The signing secret was rotated. Until {formatDateTimeUtc(rotated.until)} every delivery is signed with both the new and the old
            secret, so the receiver can switch without missing an event; after that only the new one signs.
          </p>
        </SecretShownOnce>
      )}
      {isEditing ? (
        <EditEndpointForm orgId={orgId} endpoint={e} onClose={() => setEditing(false)} />
      ) : (
        <div className="mt-3 flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="secondary"
            pending={sendTest.isPending}
            aria-label={`Send test event to ${e.url}`}
            onClick={() => void sendTest.run({ orgId, endpointId: e.id })}
          >
            Send test event
          </Button>
          <Button ref={editButton} size="sm" variant="ghost" aria-label={`Edit ${e.url}`} onClick={() => setEditing(true)}>
            Edit
          </Button>
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="ghost" pending={rotate.isPending} aria-label={`Rotate secret of ${e.url}`}>
                Rotate secret
              </Button>
            }
            title="Rotate the signing secret?"
            description={
              <>
                <p className="break-all">
                  <span className="font-mono">{e.url}</span> gets a new signing secret, shown once.
                </p>
                <p className="mt-2">
                  For {overlapHours} hours every delivery is signed with both the new and the old secret, so the receiver can switch without
                  missing an event. Rotating again within those hours ends the oldest secret at once.
                </p>
              </>
            }
            confirmLabel="Rotate secret"
            onConfirm={async () => (await rotate.run({ orgId, endpointId: e.id })).ok}
          />
          <ConfirmDialog
            trigger={
              <Button size="sm" variant="ghost" pending={remove.isPending} aria-label={`Delete ${e.url}`}>
                Delete
              </Button>
            }
            title="Delete this endpoint?"
            description={
              <p className="break-all">
                Nothing more is sent to <span className="font-mono">{e.url}</span>, and its delivery log is deleted with it. This cannot be
                undone.
              </p>
            }
            confirmLabel="Delete"
            destructive
            onConfirm={async () => (await remove.run({ orgId, endpointId: e.id })).ok}
          />
          <Link
            href={isLogOpen ? pathname : logHref}
            scroll={false}
            aria-label={`${isLogOpen ? "Hide" : "Show"} delivery log of ${e.url}`}
            className="btn btn-sm btn-ghost"
          >
            {isLogOpen ? "Hide delivery log" : "Show delivery log"}
          </Link>
        </div>
      )}
      {children}
    </li>
  );
}
