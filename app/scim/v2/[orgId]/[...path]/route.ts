import type { NextRequest } from "next/server";
import { getEnv } from "@/lib/env";
import { handleScimRequest } from "@/lib/scim/handler";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

/** /scim/v2/{orgId}/…: every method goes through the one SCIM handler (lib/scim/handler.ts). */
async function handle(request: NextRequest): Promise<Response> {
  const env = getEnv();
  return handleScimRequest(getDb(), request, { appUrl: env.APP_URL, perMinute: env.SCIM_RATE_LIMIT_PER_MINUTE });
}

export { handle as GET, handle as POST, handle as PATCH, handle as DELETE, handle as PUT };
