import { NextResponse } from "next/server";

export const dynamic = "force-dynamic";

/** Liveness: the process answers. It reads nothing, so a database outage never restarts the app. */
export function GET() {
  return NextResponse.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
