import type { Metadata } from "next";
import { desc, eq } from "drizzle-orm";
import Link from "next/link";
import { notFound } from "next/navigation";
import { mailboxMessages } from "@/db/schema";
import { isMailboxPageEnabled } from "@/lib/env";
import { getDb } from "@/lib/server/database";
import { formatDateTimeUtc } from "@/lib/time";

export const metadata: Metadata = { title: "Local mailbox" };
export const dynamic = "force-dynamic";

function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [])];
}

/** Every email delivered on this machine, newest first. Exists only when mail is delivered locally. */
export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  if (!isMailboxPageEnabled()) notFound();
  const { to } = await searchParams;
  const filter = typeof to === "string" && to.length > 0 ? to.trim().toLowerCase().slice(0, 254) : null;
  const messages = await getDb()
    .select()
    .from(mailboxMessages)
    .where(filter ? eq(mailboxMessages.to, filter) : undefined)
    .orderBy(desc(mailboxMessages.createdAt), desc(mailboxMessages.id))
    .limit(100);
  return (
    <main id="main" className="mx-auto max-w-4xl px-4 py-8">
      <nav aria-label="Back" className="text-sm">
        <Link href="/orgs" className="text-brand-700 underline">
          Back to the console
        </Link>
      </nav>
      <h1 className="mt-2 text-2xl font-semibold">Local mailbox</h1>
      <p className="mt-2 text-sm text-slate-600">
        Without RESEND_API_KEY, email is delivered here instead of to real inboxes. Newest first{filter ? `, to ${filter}` : ""}.
      </p>
      <form className="mt-4 flex gap-2" action="/dev/mailbox">
        <label htmlFor="to" className="sr-only">
          Filter by recipient
        </label>
        <input
          id="to"
          name="to"
          type="search"
          defaultValue={filter ?? ""}
          placeholder="Filter by recipient"
          className="w-full max-w-72 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
        />
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm">
          Filter
        </button>
      </form>
      {messages.length === 0 ? (
        <p className="mt-8 text-slate-600">No messages yet.</p>
      ) : (
        <ul className="mt-6 space-y-4" aria-label="Messages">
          {messages.map((m) => (
            <li key={m.id} className="rounded-lg border border-slate-200 bg-white p-4" aria-label={`${m.subject} to ${m.to}`}>
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 className="font-medium">{m.subject}</h2>
                <time dateTime={m.createdAt.toISOString()} className="text-sm text-slate-600">
                  {formatDateTimeUtc(m.createdAt)}
                </time>
              </div>
              <p className="flex min-w-0 gap-1 text-sm text-slate-700">
                To:{" "}
                <span className="truncate" title={m.to}>
                  {m.to}
                </span>
              </p>
              <ul className="mt-2 space-y-1">
                {linksIn(m.text).map((href) => (
                  <li key={href} className="break-all text-sm">
                    <a href={href} className="text-brand-700 underline">
                      {href}
                    </a>
                  </li>
                ))}
              </ul>
              <details className="mt-2">
                <summary className="cursor-pointer text-sm text-slate-600">Show message</summary>
                {/*
                  The HTML part as the recipient sees it, in a sandbox with no permissions at all: no
                  script, no forms, no navigation, an opaque origin. srcdoc needs no frame-src source
                  (the page's CSP keeps frame-src 'none'); the links are the real anchors above.
                */}
                <iframe
                  title={`Message: ${m.subject}`}
                  sandbox=""
                  srcDoc={m.html}
                  className="mt-2 h-[32rem] w-full rounded border border-slate-200 bg-white"
                />
                <details className="mt-2">
                  <summary className="cursor-pointer text-sm text-slate-600">Plain text</summary>
                  <pre className="mt-2 whitespace-pre-wrap break-words text-sm">{m.text}</pre>
                </details>
              </details>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
