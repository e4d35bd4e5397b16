/**
 * How long until `expiresAt`, in words ("48 hours", "10 minutes"), or null once it has passed.
 * Computed at render time, not enqueue time, so a message delayed by retries still tells the truth.
 */
export function formatTimeLeft(expiresAt: Date, now: Date): string | null {
  const ms = expiresAt.getTime() - now.getTime();
  if (!Number.isFinite(ms) || ms <= 0) return null;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return plural(Math.max(minutes, 1), "minute");
  const hours = Math.round(ms / 3_600_000);
  if (hours < 72) return plural(hours, "hour");
  return plural(Math.round(ms / 86_400_000), "day");
}

/** A timestamp people can read without knowing the sender's time zone. */
export function formatUtc(date: Date): string {
  return `${date.toLocaleString("en-US", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`;
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
