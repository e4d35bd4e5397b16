import "server-only";
import { describeActivity } from "@/lib/activity-sentences";
import { errorText } from "@/lib/error-text";
import type { ActivityExportFormat } from "../schemas";
import type { ActivityExportRow } from "./activity-export-pages";

/** The columns of both formats, in this order: CSV's header row and each NDJSON object's keys. */
export const ACTIVITY_EXPORT_COLUMNS = [
  "id",
  "createdAt",
  "action",
  "description",
  "actorType",
  "actorId",
  "actorEmail",
  "actorApiKeyId",
  "actorApiKeyName",
  "actorConnectionName",
  "targetUserId",
  "targetEmail",
  "projectId",
  "projectName",
  "oldRole",
  "newRole",
  "detail",
] as const;

export type ActivityExportRecord = Record<(typeof ACTIVITY_EXPORT_COLUMNS)[number], string | null>;

export const ACTIVITY_EXPORT_CONTENT_TYPES: Record<ActivityExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  ndjson: "application/x-ndjson; charset=utf-8",
};

/** Who made the change, as a word a program can switch on. */
function actorTypeOf(r: ActivityExportRow): string {
  if (r.actorScim) return "scim";
  if (r.actorConnectionName) return "sso";
  if (r.actorApiKeyId || r.actorApiKeyName) return "api_key";
  return r.actorEmail ? "person" : "system";
}

/** One record with the page's sentence ("owner@acme.test invited ann@example.com as Project Read-Only"). */
export function activityExportRecord(r: ActivityExportRow): ActivityExportRecord {
  return {
    id: r.id,
    createdAt: r.createdAt,
    action: r.action,
    description: describeActivity(r),
    actorType: actorTypeOf(r),
    actorId: r.actorId,
    actorEmail: r.actorEmail,
    actorApiKeyId: r.actorApiKeyId,
    actorApiKeyName: r.actorApiKeyName,
    actorConnectionName: r.actorConnectionName,
    targetUserId: r.targetUserId,
    targetEmail: r.targetEmail,
    projectId: r.projectId,
    projectName: r.projectName,
    oldRole: r.oldRole,
    newRole: r.newRole,
    detail: r.detail,
  };
}

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such a
// cell gets a leading apostrophe, which spreadsheets show as text and never evaluate.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field per RFC 4180: quoted when it holds a quote, comma, CR or LF (quotes doubled); formulas defused. */
export function csvField(value: string | null): string {
  if (value === null || value === "") return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvRecord = (values: readonly (string | null)[]) => `${values.map(csvField).join(",")}\r\n`;

// JSON allows U+2028, U+2029 and U+0085 raw, but line-splitting readers (Python's splitlines
// among them) break lines there: escaped, every record stays on its one line.
const LINE_BREAKING = /[\u2028\u2029\u0085]/g;
const ndjsonRecord = (record: ActivityExportRecord) =>
  `${JSON.stringify(record).replace(LINE_BREAKING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}\n`;

/** A page of records as the text of the chosen format. */
export function encodeActivityPage(rows: readonly ActivityExportRow[], format: ActivityExportFormat): string {
  let text = "";
  for (const row of rows) {
    const record = activityExportRecord(row);
    text += format === "csv" ? csvRecord(ACTIVITY_EXPORT_COLUMNS.map((c) => record[c])) : ndjsonRecord(record);
  }
  return text;
}

/**
 * The file as a byte stream that pulls the next page only when its reader has taken the last one
 * (high-water mark: one chunk), so a slow download holds one page in memory, not the range. A
 * cancelled download stops the reading. A failure mid-way errors the stream (the download ends
 * broken, never silently short) and is logged without the query's values.
 */
export function activityExportStream(pages: AsyncGenerator<ActivityExportRow[], void, undefined>, format: ActivityExportFormat) {
  const encoder = new TextEncoder();
  let headerSent = format !== "csv";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(csvRecord(ACTIVITY_EXPORT_COLUMNS)));
          return;
        }
        try {
          const next = await pages.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(encodeActivityPage(next.value, format)));
        } catch (err) {
          console.error(`[export] activity export failed: ${errorText(err, { stack: true })}`);
          controller.error(new Error("The activity export failed"));
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
