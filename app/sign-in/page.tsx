import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Card, CenteredPage } from "@/components/ui/card";
import { getActor, safeCallbackPath } from "@/lib/auth/session";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; email?: string }> }) {
  const { callbackUrl, email } = await searchParams;
  const target = safeCallbackPath(callbackUrl);
  const actor = await getActor();
  // Someone switching accounts (from an invitation) still needs the form; anyone else goes on.
  if (actor && !email) redirect(target);
  return (
    <CenteredPage>
      <Card>
        <h1 className="text-2xl font-semibold">Sign in</h1>
        <p className="mt-2 text-sm text-slate-600">We will email you a link that signs you in. No password needed.</p>
        {actor && (
          <p className="mt-2 text-sm text-slate-600">
            You are signed in as <strong>{actor.email}</strong>. Enter another address to switch.
          </p>
        )}
        <div className="mt-6">
          <SignInForm callbackUrl={target} defaultEmail={typeof email === "string" ? email.slice(0, 254) : undefined} />
        </div>
      </Card>
    </CenteredPage>
  );
}
