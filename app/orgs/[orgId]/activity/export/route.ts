import { NextResponse, type NextRequest } from "next/server";
import { exportOrganizationActivity } from "@/lib/membership";
import { runDomain } from "@/lib/server/action-result";
import { getActor } from "@/lib/auth/session";
import { getDb } from "@/lib/server/database";

const STATUS: Record<string, number> = {
  INVALID: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

/**
 * The audit export for the console (Organization Owners, session cookie): the organization's
 * activity in [from, to) as CSV or NDJSON, streamed as it is read. A refusal or bad input is
 * answered as the result shape with its status before anything is streamed.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ orgId: string }> }) {
  const { orgId } = await params;
  const search = request.nextUrl.searchParams;
  const actor = await getActor();
  const result = await runDomain("export activity", () =>
    exportOrganizationActivity(getDb(), actor, {
      orgId,
      from: search.get("from") ?? undefined,
      to: search.get("to") ?? undefined,
      format: search.get("format") ?? undefined,
    }),
  );
  if (!result.ok) return NextResponse.json(result, { status: STATUS[result.code ?? ""] ?? 400, headers: { "cache-control": "no-store" } });
  const file = result.data;
  return new Response(file.body, {
    headers: {
      "content-type": file.contentType,
      "content-disposition": `attachment; filename="${file.fileName}"`,
      "cache-control": "no-store",
    },
  });
}
