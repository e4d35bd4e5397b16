export type DeliveryStatus = "sent" | "sending" | "retrying" | "failed";

/** Delivery state of the newest email of an invitation (its words are the UI's: components/sentences.ts). */
export function deliveryStatus(status: string | null, attempts: number): DeliveryStatus {
  if (status === "sent") return "sent";
  if (status === "failed") return "failed";
  if (status === "pending" && attempts > 0) return "retrying";
  return "sending";
}
