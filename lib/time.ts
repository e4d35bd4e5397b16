/**
 * The one time formatter of the console: lists, pages and emails all say time through these, in
 * English, with Intl. Pure functions of (date, now): the caller decides what "now" is, so a server
 * render and the browser's first render agree (see components/ui/use-now.ts).
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const units = {
  minute: new Intl.NumberFormat("en", { style: "unit", unit: "minute", unitDisplay: "long" }),
  hour: new Intl.NumberFormat("en", { style: "unit", unit: "hour", unitDisplay: "long" }),
};
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const dateFormat = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const toDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

/**
 * Time left until `expiresAt` ("48 hours", "1 hour", "59 minutes"), rounded up to the unit it
 * names, or null once it has passed: minutes up to 59, then hours (links live 48 hours at most).
 */
export function timeLeftWords(expiresAt: Date | string, now: Date | number): string | null {
  const ms = toDate(expiresAt).getTime() - (typeof now === "number" ? now : now.getTime());
  if (!Number.isFinite(ms) || ms <= 0) return null;
  if (ms > 59 * MINUTE) return units.hour.format(Math.ceil(ms / HOUR));
  return units.minute.format(Math.ceil(ms / MINUTE));
}

/** "just now", "5 minutes ago", "yesterday": how long ago, for lists. */
export function timeAgo(date: Date | string, now: Date | number): string {
  const seconds = Math.round((toDate(date).getTime() - (typeof now === "number" ? now : now.getTime())) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  return "just now";
}

/** "Nov 30, 2026": a calendar day, in UTC so every reader and the server say the same. */
export function formatDate(date: Date | string): string {
  return dateFormat.format(toDate(date));
}

/** "Nov 30, 2026, 8:41 AM UTC": a moment people can read without knowing the sender's time zone. */
export function formatDateTimeUtc(date: Date | string): string {
  return `${dateTimeFormat.format(toDate(date))} UTC`;
}

/**
 * The moment a server page reads its data, passed to the client components as `renderedAt` so
 * their first render counts time from the same instant (a server component renders once per
 * request; React's purity rule is about components that re-render).
 */
export function readClock(): number {
  return Date.now();
}

/**
 * The last millisecond (UTC) of a calendar day written YYYY-MM-DD, or null for text that is not
 * such a day. Date parsing rolls 2027-02-31 over to 3 March, so the day must come back unchanged.
 */
export function endOfUtcDay(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const end = new Date(Date.UTC(year, month - 1, date, 23, 59, 59, 999));
  end.setUTCFullYear(year);
  return end.getUTCFullYear() === year && end.getUTCMonth() === month - 1 && end.getUTCDate() === date ? end : null;
}
