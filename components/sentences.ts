import { isolate } from "@/lib/activity-sentences";
import type { DeliveryStatus } from "@/lib/membership/invitations/delivery-status";

export { describeActivity, isolate } from "@/lib/activity-sentences";

/**
 * The sentences the console's pages share, in one place: invitation outcomes (project and
 * organization dialogs), delivery words, activity sentences and the generic failure lines.
 * Import-light (pure modules only: roles, the activity sentences, the characters rule), so client
 * components use it. Activity sentences and `isolate` are
 * written in lib/activity-sentences.ts (the activity export says them too) and re-exported here.
 */

export const NETWORK_ERROR = "Could not reach the server. Nothing was changed; please try again.";

export type OutcomeTone = "good" | "neutral" | "bad";

/** One line of the invitation results, for either dialog. */
export interface OutcomeLine {
  email: string;
  text: string;
  tone: OutcomeTone;
}

type AnyOutcome =
  | { email: string; outcome: "invited" | "already_collaborator" | "already_member" }
  | { email: string; outcome: "added"; projects?: string[] }
  | { email: string; outcome: "already_invited"; otherProject?: string | null }
  | { email: string; outcome: "invalid" | "limit_reached" | "rate_limited"; reason: string };

/**
 * What happened to one address. "Invited" says the email is queued, not sent: the provider has
 * not taken it yet (the Delivery column says "Sent" once it has).
 */
export function outcomeLine(o: AnyOutcome, where: "project" | "organization"): OutcomeLine {
  switch (o.outcome) {
    case "invited":
      return { email: o.email, tone: "good", text: "Invited: invitation queued" };
    case "added":
      return where === "project"
        ? { email: o.email, tone: "good", text: "Added: an organization member, added to the project at once" }
        : {
            email: o.email,
            tone: "good",
            text: `Added: already a member, given the project access at once (${(o.projects ?? []).map(isolate).join(", ")})`,
          };
    case "already_collaborator":
      return { email: o.email, tone: "neutral", text: "Skipped: already a collaborator" };
    case "already_member":
      return { email: o.email, tone: "neutral", text: "Skipped: already a member of the organization" };
    case "already_invited":
      return o.otherProject !== undefined
        ? {
            email: o.email,
            tone: "neutral",
            text:
              `Skipped: already invited to ${o.otherProject ? isolate(o.otherProject) : "another project"} in this organization ` +
              "(once they accept, add them here)",
          }
        : { email: o.email, tone: "neutral", text: "Skipped: already invited (resend the pending invitation instead)" };
    case "invalid":
      return { email: o.email, tone: "bad", text: `Invalid: ${o.reason}` };
    case "limit_reached":
      return { email: o.email, tone: "bad", text: `Not invited: the organization is full: ${o.reason}` };
    case "rate_limited":
      return { email: o.email, tone: "bad", text: `Not sent: too many emails: ${o.reason}` };
  }
}

/** "2 invited, 1 added, 1 skipped": the toast after either dialog. */
export function summarizeOutcomes(outcomes: { outcome: string }[]): string {
  const count = (pred: (o: { outcome: string }) => boolean) => outcomes.filter(pred).length;
  const parts = [
    [count((o) => o.outcome === "invited"), "invited"],
    [count((o) => o.outcome === "added"), "added"],
    [count((o) => o.outcome.startsWith("already")), "skipped"],
    [count((o) => o.outcome === "invalid"), "invalid"],
    [count((o) => o.outcome === "limit_reached"), "over the organization's limit"],
    [count((o) => o.outcome === "rate_limited"), "held back by email limits"],
  ] as const;
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, word]) => `${n} ${word}`)
      .join(", ") || "Nothing to do"
  );
}

export const resentSentence = (email: string) => `A new invitation link was queued for ${email}. The previous link no longer works.`;
export const revokedSentence = (email: string) => `The invitation to ${email} was revoked`;
export const roleChangedSentence = (email: string, label: string) => `${email} is now ${label}`;

/** What the Delivery column says of an invitation's newest email. */
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
