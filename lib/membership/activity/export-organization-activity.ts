import "server-only";
import type { Db } from "@/db/client";
import { getEnv } from "@/lib/env";
import { consumeRateLimit, retryInWords } from "@/lib/rate-limit";
import { authorizeOrg } from "../access";
import { DomainError } from "../errors";
import { exportInstant, ZActivityExportQuery, type ActivityExportFormat } from "../schemas";
import type { Actor } from "../types";
import { ACTIVITY_EXPORT_CONTENT_TYPES, activityExportStream } from "./activity-export-file";
import { activityExportPages, EXPORT_PAGE_SIZE } from "./activity-export-pages";

/** The audit export as it leaves: a streamed body, its content type and the file name to save it under. */
export interface ActivityExport {
  format: ActivityExportFormat;
  contentType: string;
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/** "Acme Vector" → "acme-vector"; a name with no ASCII letter or digit in it → "organization". */
function fileSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return slug || "organization";
}

/** The days the file covers, in UTC: the day of `from` to the day of the last instant before `to`. */
function daysCovered(from: string, to: string): string {
  const start = Date.parse(from);
  const end = Math.max(start, Date.parse(to) - 1);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${day(start)}-to-${day(end)}`;
}

/**
 * The organization's activity in [from, to) as a CSV or NDJSON file, oldest first, streamed page
 * by page; Organization Owners (and their organization keys) only. Refusals and bad input are
 * thrown before a byte is streamed. An organization starts at most ACTIVITY_EXPORTS_PER_HOUR
 * exports an hour (console and API together), in a fixed window that refusals do not extend.
 */
export async function exportOrganizationActivity(
  db: Db,
  actor: Actor | null,
  input: { orgId: string; from?: unknown; to?: unknown; format?: unknown },
  options: { pageSize?: number; perHour?: number; now?: Date } = {},
): Promise<ActivityExport> {
  const parsed = ZActivityExportQuery.safeParse({ from: input.from, to: input.to, format: input.format ?? undefined });
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "range")] ??= []).push(issue.message);
    throw new DomainError("INVALID", parsed.error.issues[0]?.message ?? "Choose a valid range.", fieldErrors);
  }
  const { org } = await authorizeOrg(db, actor, input.orgId, "org.activity.view");
  const perHour = options.perHour ?? getEnv().ACTIVITY_EXPORTS_PER_HOUR;
  const verdict = await consumeRateLimit(db, `activity-export:${org.id}`, perHour, 60 * 60 * 1000, options.now);
  if (!verdict.allowed) {
    const wait = verdict.retryAfterSeconds;
    throw new DomainError(
      "RATE_LIMITED",
      `This organization has started ${perHour} exports in the last hour; you can export again ${retryInWords(wait)}.`,
      undefined,
      wait,
    );
  }
  const { format } = parsed.data;
  const from = exportInstant(parsed.data.from);
  const to = exportInstant(parsed.data.to);
  return {
    format,
    contentType: ACTIVITY_EXPORT_CONTENT_TYPES[format],
    fileName: `${fileSlug(org.name)}-activity-${daysCovered(from, to)}.${format}`,
    body: activityExportStream(activityExportPages(db, { orgId: org.id, from, to }, options.pageSize ?? EXPORT_PAGE_SIZE), format),
  };
}
