import { formatDateTimeUtc, timeLeftWords } from "@/lib/time";

/**
 * How long until `expiresAt`, in the words the lists use ("48 hours", "10 minutes"), or null once
 * it has passed. Computed at render time, not enqueue time, so a message delayed by retries still
 * tells the truth.
 */
export const formatTimeLeft = (expiresAt: Date, now: Date): string | null => timeLeftWords(expiresAt, now);

/** A timestamp people can read without knowing the sender's time zone. */
export const formatUtc = formatDateTimeUtc;
