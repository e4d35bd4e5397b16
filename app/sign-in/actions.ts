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
import { domainOf } from "@/lib/membership/sso/complete-sso-sign-in";
import { emailLinkPolicy } from "@/lib/membership/sso/email-link-policy";
import { findSsoForEmail } from "@/lib/membership/sso/find-sso-for-email";

const ZSignIn = z.object({
  email: ZEmail,
  callbackUrl: z.string().max(2000).optional(),
  // "link": the person chose an email link over their organization's single sign-on.
  method: z.enum(["sso", "link"]).default("sso"),
});

const ssoStart = (connectionId: string, callbackPath: string) =>
  `/api/sso/${connectionId}/start?purpose=sign_in&callbackUrl=${encodeURIComponent(callbackPath)}`;

/** The address's organization signs in through its identity provider: the form offers it instead of a link. */
export interface SsoChoice {
  /**
   * The address asked about: a form the browser sent before the page's script ran comes back as
   * a new page, and its field starts from this, so "Email me a sign-in link instead" sends it again.
   */
  email: string;
  orgName: string;
  startUrl: string;
  /** False under "Require SSO": only the organization's Owners may still use an email link. */
  linkAllowed: boolean;
  /** Why no link was sent, when someone asked for one under "Require SSO". */
  notice?: string;
}

/**
 * Sends a sign-in link. The answer is the same whether or not an account exists; requests are
 * limited per address, per client (behind trusted proxies) and globally, in the database, so the
 * limits hold across instances.
 */
export async function requestSignInLink(
  _prev: ActionResult<SsoChoice | null> | null,
  formData: FormData,
): Promise<ActionResult<SsoChoice | null>> {
  // Anyone can call an action with arguments of their choosing: anything but a form is refused.
  if (!(formData instanceof FormData)) return { ok: false, code: "INVALID", message: "Enter your email address." };
  const typed = formData.get("email");
  const input = ZSignIn.safeParse({
    email: typed ?? "",
    callbackUrl: formData.get("callbackUrl") ?? undefined,
    method: formData.get("method") ?? undefined,
  });
  // A refusal carries the address as typed, so the field keeps it (see ActionRefusal.values).
  const values: Record<string, string> = typeof typed === "string" ? { email: typed } : {};
  if (!input.success) return { ...invalidInput(input.error), values };
  const callbackPath = safeCallbackPath(input.data.callbackUrl);
  // Home-realm discovery: an address of a domain whose organization has single sign-on goes there.
  if (input.data.method === "sso") {
    const sso = await findSsoForEmail(getDb(), input.data.email);
    if (sso) {
      return {
        ok: true,
        data: {
          email: input.data.email,
          orgName: sso.orgName,
          startUrl: ssoStart(sso.connectionId, callbackPath),
          linkAllowed: !sso.requireSso,
        },
      };
    }
  } else {
    const policy = await emailLinkPolicy(getDb(), input.data.email);
    if (!policy.allowed)
      return {
        ok: true,
        data: {
          email: input.data.email,
          orgName: policy.sso.orgName,
          startUrl: ssoStart(policy.sso.connectionId, callbackPath),
          linkAllowed: false,
          notice: `${policy.sso.orgName} requires single sign-on for ${domainOf(input.data.email)} addresses: no link was sent. Continue with single sign-on.`,
        },
      };
  }
  const env = getEnv();
  const client = clientKey((await headers()).get("x-forwarded-for"), env.TRUSTED_PROXY_HOPS);
  const verdict = await consumeSignInAllowance(getDb(), { email: input.data.email, client }, env);
  if (!verdict.allowed) return { ok: false, code: "RATE_LIMITED", message: verdict.message, values };
  try {
    await signIn("email", { email: input.data.email, redirectTo: callbackPath, redirect: false });
  } catch (err) {
    console.error(`[sign-in] could not create a sign-in link: ${errorText(err, { stack: true })}`);
    return { ok: false, code: "INTERNAL", message: "We could not send a sign-in link just now. Please try again.", values };
  }
  redirect(`/sign-in/check-email?email=${encodeURIComponent(input.data.email)}`);
}

export async function signOutAction(): Promise<void> {
  const { signOut } = await import("@/lib/auth/auth");
  await signOut({ redirectTo: "/sign-in" });
}
