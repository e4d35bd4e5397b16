import type { Metadata } from "next";
import Link from "next/link";
import { Card, CenteredPage } from "@/components/ui/card";
import { isMailboxPageEnabled } from "@/lib/env";

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<{ email?: string }> }) {
  const { email } = await searchParams;
  return (
    <CenteredPage>
      <Card>
        <h1 className="text-2xl font-semibold">Check your email</h1>
        <p className="mt-3 text-slate-700">
          If {typeof email === "string" ? <strong>{email.slice(0, 254)}</strong> : "that address"} can sign in, a sign-in link is on its
          way. The link works for 15 minutes.
        </p>
        {isMailboxPageEnabled() && (
          <p className="mt-4 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
            Mail is delivered locally on this machine.{" "}
            <Link href="/dev/mailbox" className="font-medium underline">
              Open the local mailbox
            </Link>
          </p>
        )}
        <Link href="/sign-in" className="mt-6 inline-block text-sm text-brand-700 underline">
          Use another address
        </Link>
      </Card>
    </CenteredPage>
  );
}
