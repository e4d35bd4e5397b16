import { DELIVERY_LABELS, deliveryReason } from "@/components/sentences";
import type { PendingInvitation } from "@/lib/membership/invitations/list-pending-invitations";
import type { Json } from "./json";

/** The Delivery column's words: the state, and why the last attempt failed while it is retried or has failed. */
interface DeliveryWords {
  deliveryLabel: string;
  /** A few words people understand; the provider's own text is `lastError`. */
  deliveryReason: string | null;
}

/** A pending invitation with its delivery in words, as the project page's list route sends it. */
export type InvitationWithWords = PendingInvitation & DeliveryWords;

/**
 * What the pending-invitations table shows of an invitation, and all a page sends of it to the
 * browser: the row is sent twice (as HTML and as the table's props), so the dates it does not
 * show, the organization role, and empty fields stay on the server. The project page shows who
 * invited, the organization page the project grants. A row the list route sends (every field) is
 * one of these too. (The project page packs these rows further: its list-rows.ts.)
 */
export type InvitationRow = Pick<
  Json<InvitationWithWords>,
  "id" | "email" | "role" | "expiryLabel" | "resendInSeconds" | "delivery" | "deliveryLabel"
> &
  Partial<Pick<Json<InvitationWithWords>, "invitedBy" | "grants" | "isExpired" | "deliveryReason" | "lastError">>;

function deliveryWords(i: PendingInvitation): DeliveryWords {
  return {
    deliveryLabel: DELIVERY_LABELS[i.delivery],
    deliveryReason: i.delivery === "sent" || i.delivery === "sending" ? null : deliveryReason(i.lastError),
  };
}

/** The invitation with its delivery words (its fields in the order the list route has always sent them). */
export function withDeliveryWords(i: PendingInvitation): InvitationWithWords {
  const { lastError, ...rest } = i;
  return { ...rest, ...deliveryWords(i), lastError };
}

/** The row of one pending invitation for the table of the organization page (or of a project page). */
export function invitationRow(i: PendingInvitation, scope: "project" | "organization"): InvitationRow {
  const words = deliveryWords(i);
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    expiryLabel: i.expiryLabel,
    resendInSeconds: i.resendInSeconds,
    delivery: i.delivery,
    deliveryLabel: words.deliveryLabel,
    ...(scope === "project" ? i.invitedBy !== null && { invitedBy: i.invitedBy } : { grants: i.grants }),
    ...(i.isExpired && { isExpired: true }),
    ...(words.deliveryReason !== null && { deliveryReason: words.deliveryReason }),
    ...(i.lastError !== null && { lastError: i.lastError }),
  };
}
