"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/lib/auth/auth";
import { clientKey, consumeSignInAllowance } from "@/lib/auth/sign-in-limits";
import { safeCallbackPath } from "@/lib/auth/session";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { ZEmail } from "@/lib/membership/schemas";
import { invalidInput, type ActionResult } from "@/lib/server/action-result";
import { getDb } from "@/lib/server/database";

const ZSignIn = z.object({ email: ZEmail, callbackUrl: z.string().max(2000).optional() });

/**
 * Sends a sign-in link. The answer is the same whether or not an account exists; requests are
 * limited per address, per client (behind trusted proxies) and globally, in the database, so the
 * limits hold across instances.
 */
export async function requestSignInLink(_prev: ActionResult<null> | null, formData: FormData): Promise<ActionResult<null>> {
  // Anyone can call an action with arguments of their choosing: anything but a form is refused.
  if (!(formData instanceof FormData)) return { ok: false, code: "INVALID", message: "Enter your email address." };
  const input = ZSignIn.safeParse({ email: formData.get("email") ?? "", callbackUrl: formData.get("callbackUrl") ?? undefined });
  if (!input.success) return invalidInput(input.error);
  const env = getEnv();
  const client = clientKey((await headers()).get("x-forwarded-for"), env.TRUSTED_PROXY_HOPS);
  const verdict = await consumeSignInAllowance(getDb(), { email: input.data.email, client }, env);
  if (!verdict.allowed) return { ok: false, code: "RATE_LIMITED", message: verdict.message };
  try {
    await signIn("email", { email: input.data.email, redirectTo: safeCallbackPath(input.data.callbackUrl), redirect: false });
  } catch (err) {
    console.error(`[sign-in] could not create a sign-in link: ${errorText(err, { stack: true })}`);
    return { ok: false, code: "INTERNAL", message: "We could not send a sign-in link just now. Please try again." };
  }
  redirect(`/sign-in/check-email?email=${encodeURIComponent(input.data.email)}`);
}

export async function signOutAction(): Promise<void> {
  const { signOut } = await import("@/lib/auth/auth");
  await signOut({ redirectTo: "/sign-in" });
}
