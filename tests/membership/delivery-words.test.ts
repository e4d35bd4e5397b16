import { describe, expect, it } from "vitest";
import { DELIVERY_LABELS, deliveryReason } from "@/components/sentences";
import { deliveryStatus } from "@/lib/membership/invitations/delivery-status";

describe("delivery in words", () => {
  it("an email is Queued until the provider has taken it, then Sent", () => {
    expect(DELIVERY_LABELS[deliveryStatus("pending", 0)]).toBe("Queued");
    expect(DELIVERY_LABELS[deliveryStatus("sending", 0)]).toBe("Queued");
    expect(DELIVERY_LABELS[deliveryStatus("sent", 1)]).toBe("Sent");
    expect(DELIVERY_LABELS[deliveryStatus("pending", 2)]).toBe("Delivery failed — retrying");
    expect(DELIVERY_LABELS[deliveryStatus("failed", 3)]).toBe("Could not be delivered");
  });

  it.each([
    ["Gave up after 3 attempts: HTTP 422 validation_error: The `to` field is invalid", "The address was refused"],
    ["HTTP 500 internal", "The mail provider did not answer"],
    ["no response within 300 ms", "The mail provider did not answer"],
    ["HTTP 429 rate limit exceeded", "The mail provider is busy"],
    ["Expired before it could be delivered", "The link expired before it could be sent"],
    ["The sealed link was made with a different AUTH_SECRET", "The email could not be prepared"],
    ["something nobody foresaw", "The mail provider refused it"],
  ])("%s → %s", (raw, words) => {
    expect(deliveryReason(raw)).toBe(words);
  });

  it("no error, no reason", () => {
    expect(deliveryReason(null)).toBeNull();
  });
});
