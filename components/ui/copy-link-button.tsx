"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useRef, useState } from "react";
import { Button } from "./button";
import { NETWORK_ERROR } from "@/lib/membership/sentences";

export interface CopyLinkButtonProps {
  email: string;
  /** Issues a new link on the server; resolves to it, or to a sentence saying why not. */
  issue: () => Promise<{ ok: true; url: string } | { ok: false; message: string }>;
  onIssued?: () => void;
}

/**
 * "Copy link for <email>": asks the server for a new invitation link (the older one stops
 * working) and shows it once, with a copy button. The link is never fetched again.
 */
export function CopyLinkButton({ email, issue, onIssued }: CopyLinkButtonProps) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState(false);
  const [url, setUrl] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  async function start() {
    setPending(true);
    setMessage(null);
    setUrl(null);
    setCopied(false);
    try {
      const result = await issue().catch(() => ({
        ok: false as const,
        message: NETWORK_ERROR,
      }));
      if (result.ok) {
        setUrl(result.url);
        onIssued?.();
      } else setMessage(result.message);
      setOpen(true);
    } finally {
      setPending(false);
    }
  }

  // The dialog exists only while open, so a list of fifty invitations renders fifty plain buttons.
  return (
    <>
      <Button
        ref={opener}
        variant="ghost"
        size="sm"
        aria-label={`Copy link for ${email}`}
        aria-haspopup="dialog"
        aria-expanded={open}
        pending={pending}
        onClick={start}
      >
        Copy link
      </Button>
      {open && (
        <Dialog.Root
          open
          onOpenChange={(next) => {
            setOpen(next);
            // The link is shown once: closing the dialog forgets it.
            if (!next) setUrl(null);
          }}
        >
          <Dialog.Portal>
            <Dialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40" />
            <Dialog.Content
              onCloseAutoFocus={(event) => {
                if (opener.current?.isConnected) {
                  event.preventDefault();
                  opener.current.focus();
                }
              }}
              className="fixed left-1/2 top-1/2 z-50 w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl"
            >
              <Dialog.Title className="break-words text-lg font-semibold">Invitation link for {email}</Dialog.Title>
              {url ? (
                <>
                  <Dialog.Description className="mt-2 text-sm text-slate-700">
                    Send this link to {email} yourself. It is shown only now; any earlier link no longer works. It expires in 48 hours.
                  </Dialog.Description>
                  <label htmlFor="invitation-link" className="mb-1 mt-4 block text-sm font-medium">
                    Invitation link
                  </label>
                  <input
                    id="invitation-link"
                    readOnly
                    value={url}
                    onFocus={(e) => e.currentTarget.select()}
                    className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-xs"
                  />
                  <p role="status" className="mt-2 min-h-5 text-sm text-green-800">
                    {copied ? "Copied to the clipboard" : ""}
                  </p>
                </>
              ) : (
                <Dialog.Description asChild>
                  <p role="alert" className="mt-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
                    {message}
                  </p>
                </Dialog.Description>
              )}
              <div className="mt-4 flex justify-end gap-2">
                <Dialog.Close asChild>
                  <Button variant="secondary">Close</Button>
                </Dialog.Close>
                {url && (
                  <Button
                    onClick={async () => {
                      try {
                        await navigator.clipboard.writeText(url);
                        setCopied(true);
                      } catch {
                        setMessage(null);
                        setCopied(false);
                      }
                    }}
                  >
                    Copy
                  </Button>
                )}
              </div>
            </Dialog.Content>
          </Dialog.Portal>
        </Dialog.Root>
      )}
    </>
  );
}
