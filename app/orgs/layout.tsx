import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/app/sign-in/actions";
import { requireActor } from "@/lib/auth/session";
import { listOrganizations } from "@/lib/membership";
import { Toaster } from "@/components/ui/toaster";
import { getDb } from "@/lib/server/database";
import { DisplayNameButton, DisplayNamePrompt } from "./_components/display-name";
import { OrgSwitcher } from "./_components/org-switcher";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const orgs = await listOrganizations(getDb(), actor);
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <div className="flex min-w-0 items-center gap-3">
            <Link href="/orgs" className="font-semibold text-slate-900">
              Acme Console
            </Link>
            <OrgSwitcher orgs={orgs.map((o) => ({ id: o.id, name: o.name }))} />
          </div>
          <div className="flex min-w-0 items-center gap-2 text-sm">
            <DisplayNameButton name={actor.name ?? null} />
            <span className="max-w-[40vw] truncate text-slate-700" title={actor.email}>
              {actor.email}
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 text-slate-700 underline hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {!actor.name && <DisplayNamePrompt />}
        {children}
      </main>
      <Toaster />
    </div>
  );
}
