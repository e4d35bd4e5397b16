import type { Metadata } from "next";
import Link from "next/link";
import { Card, CenteredPage } from "@/components/ui/card";

export const metadata: Metadata = { title: "Sign-in problem" };

const MESSAGES: Record<string, string> = {
  Verification: "This sign-in link has expired or was already used. Request a new one.",
  AccessDenied: "This address cannot sign in.",
  Configuration: "Sign-in is not available right now. Please try again later.",
};

/** Why a sign-in through single sign-on stopped (lib/sso/types.ts, SsoFailureReason), in words. */
const SSO_MESSAGES: Record<string, string> = {
  expired: "This single sign-on attempt has expired or was already used. Start again from the sign-in page.",
  provider_error: "Your identity provider did not complete the sign-in. Try again, or ask your administrator.",
  invalid_response:
    "Your identity provider's answer could not be verified, so you were not signed in. Ask your administrator to check the connection.",
  replayed: "This sign-in answer was already used once. Start again from the sign-in page.",
  email_missing: "Your identity provider did not send a verified email address, so you were not signed in.",
  domain_not_verified: "Your address is not in one of the organization's verified domains, so this identity provider cannot sign you in.",
  connection_disabled: "Single sign-on is switched off for this organization. Sign in with an email link instead.",
  seat_limit: "The organization has reached its limit of 1,000 members. Ask an Owner to make room.",
  test_mismatch: "“Test connection” must sign in with the same address as the Owner who started it.",
  sso_required:
    "Your organization requires single sign-on for your address. Enter your address on the sign-in page and continue with single sign-on.",
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string; reason?: string }> }) {
  const { error, reason } = await searchParams;
  const message =
    (error === "SSO" && typeof reason === "string" && Object.hasOwn(SSO_MESSAGES, reason) && SSO_MESSAGES[reason]) ||
    (typeof error === "string" && Object.hasOwn(MESSAGES, error) && MESSAGES[error]) ||
    "We could not sign you in. Request a new sign-in link.";
  return (
    <CenteredPage>
      <Card>
        <h1 className="text-2xl font-semibold">We could not sign you in</h1>
        <p className="mt-3 text-slate-700">{message}</p>
        <Link href="/sign-in" className="mt-6 inline-block font-medium text-brand-700 underline">
          {error === "SSO" ? "Back to sign in" : "Request a new sign-in link"}
        </Link>
      </Card>
    </CenteredPage>
  );
}
