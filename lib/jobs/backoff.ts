const BASE_RETRY_MS = 30_000;
const MAX_RETRY_MS = 3_600_000;

/**
 * The one backoff of the job tables (email outbox, webhook deliveries): the delay before attempt
 * `attempts + 1`, 30 s doubling per attempt, at most 1 h, up to 10% earlier at random.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, BASE_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  // Jitter spreads out a burst of rows that all failed during the same outage.
  return Math.round(base * (1 - 0.1 * random()));
}
