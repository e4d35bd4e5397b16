"use client";

import { Button } from "./button";

interface DeliveryRow {
  delivery: "sent" | "sending" | "retrying" | "failed";
  deliveryLabel: string;
  deliveryReason?: string | null;
  lastError?: string | null;
}

/** Delivery in words: the status, a short reason when it failed, and the provider's own text on demand. */
export function DeliveryCell({ row }: { row: DeliveryRow }) {
  return (
    // Its colour, and its label kept on one line (not the reason), come from globals.css (.delivery-*).
    <div className={`delivery-${row.delivery}`}>
      {row.deliveryLabel}
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
  labelledBy,
  secondsLeft,
  pending,
  onResend,
}: {
  /** The ids of the words that name it ("Resend invitation to" and the row's address). */
  labelledBy: string;
  secondsLeft: number;
  pending: boolean;
  onResend: () => void;
}) {
  const waiting = secondsLeft > 0;
  return (
    <Button bare aria-labelledby={labelledBy} pending={pending} disabled={waiting} onClick={onResend}>
      {waiting ? `Resend in ${secondsLeft} s` : "Resend"}
    </Button>
  );
}
