import { sql } from "drizzle-orm";
import { NextResponse } from "next/server";
import { getDb, prepareDatabase } from "@/lib/server/database";

export const dynamic = "force-dynamic";

const TIMEOUT_MS = 2_000;

/**
 * Readiness: migrations applied and the database answering within two seconds; 503 otherwise, so a
 * load balancer sends no traffic to an instance that could only fail.
 */
export async function GET() {
  const headers = { "cache-control": "no-store" };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    await Promise.race([prepareDatabase().then(() => getDb().execute(sql`select 1`)), timeout]);
    return NextResponse.json({ status: "ready" }, { headers });
  } catch (err) {
    console.error("[ready] database check failed:", err instanceof Error ? err.message : err);
    return NextResponse.json({ status: "unavailable", reason: "The database is not answering." }, { status: 503, headers });
  } finally {
    clearTimeout(timer);
  }
}
