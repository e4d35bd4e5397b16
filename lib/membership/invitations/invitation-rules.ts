import { timeLeftWords } from "@/lib/time";

export const INVITATION_TTL_MS = 48 * 60 * 60 * 1000;
export const RESEND_COOLDOWN_MS = 60 * 1000;
export const ORG_SEAT_LIMIT = 1000;

/** When an invitation sent at `sentAt` stops working. */
export function invitationExpiry(sentAt: Date): Date {
  return new Date(sentAt.getTime() + INVITATION_TTL_MS);
}

export function isExpired(expiresAt: Date, now: Date): boolean {
  return expiresAt.getTime() <= now.getTime();
}

/** "Expires in N hours" or "Expired", as the pending list shows it. */
export function expiryLabel(expiresAt: Date, now: Date): string {
  const left = timeLeftWords(expiresAt, now);
  return left ? `Expires in ${left}` : "Expired";
}

/** Seconds until another resend is allowed, or 0. */
export function resendWaitSeconds(lastSentAt: Date, now: Date): number {
  const wait = lastSentAt.getTime() + RESEND_COOLDOWN_MS - now.getTime();
  return wait > 0 ? Math.ceil(wait / 1000) : 0;
}
