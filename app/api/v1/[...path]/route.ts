import type { NextRequest } from "next/server";
import { handleApiRequest } from "@/lib/api/handler";
import { getEnv } from "@/lib/env";
import { getDb } from "@/lib/server/database";
import { deliverAfterResponse } from "@/lib/server/mailer";

export const dynamic = "force-dynamic";

/** /api/v1: every method goes through the one handler (lib/api/handler.ts). */
async function handle(request: NextRequest): Promise<Response> {
  const env = getEnv();
  return handleApiRequest(getDb(), request, {
    baseUrl: env.APP_URL,
    rateLimit: { perMinute: env.API_RATE_LIMIT_PER_MINUTE, perOrganizationPerMinute: env.API_RATE_LIMIT_PER_ORGANIZATION_PER_MINUTE },
    afterEmails: deliverAfterResponse,
  });
}

export { handle as GET, handle as POST, handle as PATCH, handle as DELETE, handle as PUT, handle as HEAD };
