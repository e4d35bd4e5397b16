import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CenteredPage } from "@/components/ui/card";
import { safeCallbackPath } from "@/lib/auth/session";
import { TOKEN_PAGE_REFERRER_POLICY } from "@/lib/http/security-headers";

export const metadata: Metadata = { title: "Sign in", referrer: TOKEN_PAGE_REFERRER_POLICY };

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

/**
 * Where the emailed sign-in link lands. Opening it changes nothing: mail scanners that fetch every
 * link would otherwise use the link up before its owner clicks. The button POSTs the token to
 * Auth.js, which signs in and redirects.
 */
export default async function ConfirmSignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const token = one(params.token);
  const email = one(params.email);
  if (!token || !email || token.length > 200 || email.length > 254) {
    return (
      <CenteredPage>
        <Card>
          <h1 className="text-2xl font-semibold">This sign-in link is not complete</h1>
          <p className="mt-3 text-slate-700">Open the link from the email again, or request a new one.</p>
          <Link href="/sign-in" className="mt-6 inline-block font-medium text-brand-700 underline">
            Request a new sign-in link
          </Link>
        </Card>
      </CenteredPage>
    );
  }
  const query = new URLSearchParams({ callbackUrl: safeCallbackPath(one(params.callbackUrl)), token, email });
  return (
    <CenteredPage>
      <Card>
        <h1 className="text-2xl font-semibold">Sign in</h1>
        <p className="mt-3 text-slate-700">
          Sign in as <strong className="break-all">{email}</strong>?
        </p>
        <form method="post" action={`/api/auth/callback/email?${query.toString()}`} className="mt-6">
          <Button type="submit" worksWithoutScript className="w-full">
            Sign in
          </Button>
        </form>
      </Card>
    </CenteredPage>
  );
}
