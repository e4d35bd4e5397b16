import type { Metadata } from "next";
import Link from "next/link";
import { Card, CenteredPage } from "@/components/ui/card";

export const metadata: Metadata = { title: "Sign-in problem" };

const MESSAGES: Record<string, string> = {
  Verification: "This sign-in link has expired or was already used. Request a new one.",
  AccessDenied: "This address cannot sign in.",
  Configuration: "Sign-in is not available right now. Please try again later.",
};

export default async function SignInErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  const message = (typeof error === "string" && MESSAGES[error]) || "We could not sign you in. Request a new sign-in link.";
  return (
    <CenteredPage>
      <Card>
        <h1 className="text-2xl font-semibold">We could not sign you in</h1>
        <p className="mt-3 text-slate-700">{message}</p>
        <Link href="/sign-in" className="mt-6 inline-block font-medium text-brand-700 underline">
          Request a new sign-in link
        </Link>
      </Card>
    </CenteredPage>
  );
}
