"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/lib/auth/auth";
import { consumeRateLimit } from "@/lib/auth/rate-limit";
import { safeCallbackPath } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { ZEmail } from "@/lib/membership/schemas";
import { invalidInput, type ActionResult } from "@/lib/server/action-result";
import { getDb } from "@/lib/server/database";

const WINDOW_MS = 15 * 60 * 1000;
const ZSignIn = z.object({ email: ZEmail, callbackUrl: z.string().max(2000).optional() });

/**
 * The client's address as the outermost trusted proxy saw it: TRUSTED_PROXY_HOPS entries from the
 * right of X-Forwarded-For. Entries further left are whatever the client chose to send, so they
 * cannot key a limit.
 */
function clientKey(h: Headers, trustedHops: number): string {
  const hops = h.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  return (trustedHops > 0 ? hops.at(-trustedHops) : undefined) || h.get("x-real-ip") || "unknown";
}

/**
 * Sends a sign-in link. The answer is the same whether or not an account exists; requests are
 * limited per address and per client in the database, so the limit holds across instances.
 */
export async function requestSignInLink(_prev: ActionResult<null> | null, formData: FormData): Promise<ActionResult<null>> {
  const input = ZSignIn.safeParse({ email: formData.get("email") ?? "", callbackUrl: formData.get("callbackUrl") ?? undefined });
  if (!input.success) return invalidInput(input.error);
  const env = getEnv();
  const db = getDb();
  const [byAddress, byClient] = await Promise.all([
    consumeRateLimit(db, `sign-in:email:${input.data.email}`, env.SIGN_IN_LIMIT_PER_ADDRESS, WINDOW_MS),
    consumeRateLimit(db, `sign-in:client:${clientKey(await headers(), env.TRUSTED_PROXY_HOPS)}`, env.SIGN_IN_LIMIT_PER_CLIENT, WINDOW_MS),
  ]);
  if (!byAddress.allowed || !byClient.allowed) {
    const wait = Math.ceil(Math.max(byAddress.allowed ? 0 : byAddress.retryAfterSeconds, byClient.allowed ? 0 : byClient.retryAfterSeconds) / 60);
    return { ok: false, code: "RATE_LIMITED", message: `Too many sign-in links were requested. Try again in ${wait} minute${wait === 1 ? "" : "s"}.` };
  }
  try {
    await signIn("email", { email: input.data.email, redirectTo: safeCallbackPath(input.data.callbackUrl), redirect: false });
  } catch (err) {
    console.error("[sign-in] could not create a sign-in link", err);
    return { ok: false, code: "INTERNAL", message: "We could not send a sign-in link just now. Please try again." };
  }
  redirect(`/sign-in/check-email?email=${encodeURIComponent(input.data.email)}`);
}

export async function signOutAction(): Promise<void> {
  const { signOut } = await import("@/lib/auth/auth");
  await signOut({ redirectTo: "/sign-in" });
}
