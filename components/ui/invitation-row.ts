import type { PendingInvitation } from "@/lib/membership/invitations/list-pending-invitations";
import type { Json } from "./json";

/**
 * What the pending-invitations table shows of an invitation, and all a page sends of it to the
 * browser: the row is sent twice (as HTML and as the table's props), so the dates it does not
 * show, the organization role, and empty fields stay on the server. The project page shows who
 * invited, the organization page the project grants. A row the list route sends (every field) is
 * one of these too. (The project page packs these rows further: its list-rows.ts.)
 */
export type InvitationRow = Pick<
  Json<PendingInvitation>,
  "id" | "email" | "role" | "expiryLabel" | "resendInSeconds" | "delivery" | "deliveryLabel"
> &
  Partial<Pick<Json<PendingInvitation>, "invitedBy" | "grants" | "isExpired" | "deliveryReason" | "lastError">>;

/** The row of one pending invitation for the table of the organization page (or of a project page). */
export function invitationRow(i: PendingInvitation, scope: "project" | "organization"): InvitationRow {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    expiryLabel: i.expiryLabel,
    resendInSeconds: i.resendInSeconds,
    delivery: i.delivery,
    deliveryLabel: i.deliveryLabel,
    ...(scope === "project" ? i.invitedBy !== null && { invitedBy: i.invitedBy } : { grants: i.grants }),
    ...(i.isExpired && { isExpired: true }),
    ...(i.deliveryReason !== null && { deliveryReason: i.deliveryReason }),
    ...(i.lastError !== null && { lastError: i.lastError }),
  };
}
