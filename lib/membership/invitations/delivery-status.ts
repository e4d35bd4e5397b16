export type DeliveryStatus = "sent" | "sending" | "retrying" | "failed";
export const DELIVERY_LABELS: Record<DeliveryStatus, string> = {
  sent: "Sent",
  // Queued until the provider has taken it: only then is it "Sent".
  sending: "Queued",
  retrying: "Delivery failed — retrying",
  failed: "Could not be delivered",
};
/** A short human reason for a failed delivery, from the provider's or the sender's raw text. */
export function deliveryReason(lastError: string | null): string | null {
  if (!lastError) return null;
  if (/HTTP 429|rate.?limit/i.test(lastError)) return "The mail provider is busy";
  if (/HTTP 4(00|22)|invalid.*(address|recipient|to)|rejected|bounced/i.test(lastError)) return "The address was refused";
  if (/HTTP 5\d\d|no response|timed? ?out|ECONN|ENOTFOUND|fetch failed/i.test(lastError)) return "The mail provider did not answer";
  if (/expired/i.test(lastError)) return "The link expired before it could be sent";
  if (/AUTH_SECRET|seal|payload/i.test(lastError)) return "The email could not be prepared";
  return "The mail provider refused it";
}
/** Delivery state of the newest email of an invitation, in words people read. */
export function deliveryStatus(status: string | null, attempts: number): DeliveryStatus {
  if (status === "sent") return "sent";
  if (status === "failed") return "failed";
  if (status === "pending" && attempts > 0) return "retrying";
  return "sending";
}
