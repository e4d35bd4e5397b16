import { Ellipsis, Table } from "@/components/ui/table";
import type { WebhookDeliverySummary } from "@/lib/membership/webhooks/list-webhook-deliveries";
import { formatDateTimeUtc } from "@/lib/time";
import { DeliveryLogRefresh } from "./delivery-log-refresh";
import { RedeliverButton } from "./redeliver-button";

/** What a delivery's status says in words. */
function statusWords(d: WebhookDeliverySummary): string {
  if (d.status === "delivered") return "Delivered";
  if (d.status === "failed") return "Failed: retried for 24 hours";
  if (d.status === "sending") return "Sending";
  if (d.attempts === 0) return "Queued";
  return d.nextAttemptAt ? `Retrying ${formatDateTimeUtc(d.nextAttemptAt)}` : "Retrying";
}

/**
 * An endpoint's newest 100 deliveries: status, attempts, answer, duration, time, and "Redeliver".
 * While one is under way (or due within half a minute) the page refreshes itself.
 */
export function DeliveryLog({
  orgId,
  endpointId,
  url,
  deliveries,
  renderedAt,
}: {
  orgId: string;
  endpointId: string;
  url: string;
  deliveries: WebhookDeliverySummary[];
  renderedAt: number;
}) {
  const underWay = deliveries.some(
    (d) => d.status === "sending" || (d.status === "pending" && (d.nextAttemptAt?.getTime() ?? 0) <= renderedAt + 30_000),
  );
  const headingId = `log-${endpointId}`;
  return (
    <section aria-labelledby={headingId} className="mt-4 border-t border-slate-200 pt-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h4 id={headingId} className="font-semibold">
          Delivery log
        </h4>
        <DeliveryLogRefresh underWay={underWay} />
      </div>
      <p className="mt-1 text-sm text-slate-600">
        The newest 100 deliveries. Each event carries its id as <code>webhook-id</code>, the same on every attempt and redelivery. Answers
        are kept 7 days.
      </p>
      <Table
        label={`Delivery log of ${url}`}
        rows={deliveries}
        rowKey={(d) => d.id}
        empty="Nothing was sent to this endpoint yet. Send a test event to try it."
        columns={[
          {
            header: "Event",
            cell: (d) => (
              // Cut with an ellipsis (the full text on hover), never broken mid-name or widening a phone's screen.
              <span className="flex min-w-0 flex-col">
                <Ellipsis text={d.eventType} className="font-mono" />
                <Ellipsis text={d.eventId} className="font-mono text-xs text-slate-600" />
              </span>
            ),
          },
          { header: "Status", width: "w-32", cell: (d) => <span data-testid="delivery-status">{statusWords(d)}</span> },
          { header: "Attempts", width: "w-20", cell: (d) => d.attempts },
          {
            header: "Answer",
            width: "w-48",
            cell: (d) => (
              <span className="flex min-w-0 flex-col">
                <span data-testid="delivery-response">
                  {d.responseCode !== null ? `HTTP ${d.responseCode}` : d.attempts === 0 ? "Not sent yet" : "No answer"}
                </span>
                {d.lastError && <span className="break-words text-xs text-red-800">{d.lastError}</span>}
                {d.responseBody && (
                  <details className="text-xs">
                    <summary className="cursor-pointer text-slate-700">Response body</summary>
                    <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2">
                      {d.responseBody}
                    </pre>
                  </details>
                )}
              </span>
            ),
          },
          { header: "Duration", width: "w-24", cell: (d) => (d.durationMs !== null ? `${d.durationMs} ms` : "—") },
          {
            header: "Time",
            width: "w-40",
            cell: (d) => (
              <span className="flex flex-col">
                <span>{formatDateTimeUtc(d.createdAt)}</span>
                {d.lastAttemptAt && d.lastAttemptAt.getTime() !== d.createdAt.getTime() && (
                  <span className="text-xs text-slate-600">last attempt {formatDateTimeUtc(d.lastAttemptAt)}</span>
                )}
              </span>
            ),
          },
          {
            header: "Actions",
            srOnlyHeader: true,
            width: "w-28",
            className: "lg:text-right",
            cell: (d) => <RedeliverButton orgId={orgId} endpointId={endpointId} deliveryId={d.id} eventId={d.eventId} />,
          },
        ]}
      />
    </section>
  );
}
