"use client";

import { Button } from "./button";

const DELIVERY_STYLE = { sent: "text-green-800", sending: "text-slate-700", retrying: "text-amber-800", failed: "text-red-700" } as const;

interface DeliveryRow {
  delivery: keyof typeof DELIVERY_STYLE;
  deliveryLabel: string;
  deliveryReason?: string | null;
  lastError?: string | null;
}

/** Delivery in words: the status, a short reason when it failed, and the provider's own text on demand. */
export function DeliveryCell({ row }: { row: DeliveryRow }) {
  return (
    <div className={`min-w-0 ${DELIVERY_STYLE[row.delivery]}`}>
      <span className="nowrap">{row.deliveryLabel}</span>
      {row.deliveryReason && (
        <span className="block text-xs text-slate-700">
          {row.deliveryReason}
          {row.delivery === "failed" ? ". Check the address, then resend." : ""}
        </span>
      )}
      {row.deliveryReason && row.lastError && (
        <details className="text-xs text-slate-600">
          <summary className="cursor-pointer underline">Provider&apos;s message</summary>
          <p className="mt-1 max-w-xs break-words">{row.lastError.slice(0, 500)}</p>
        </details>
      )}
    </div>
  );
}

/**
 * "Resend", or "Resend in 42 s" (disabled) while the server's once-a-minute limit holds; the wait
 * comes from the server's figure for the row, counted down here.
 */
export function ResendButton({
  email,
  secondsLeft,
  pending,
  onResend,
}: {
  email: string;
  secondsLeft: number;
  pending: boolean;
  onResend: () => void;
}) {
  const waiting = secondsLeft > 0;
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-label={`Resend invitation to ${email}`}
      pending={pending}
      disabled={waiting}
      onClick={onResend}
      className="nowrap"
    >
      {waiting ? `Resend in ${secondsLeft} s` : "Resend"}
    </Button>
  );
}
