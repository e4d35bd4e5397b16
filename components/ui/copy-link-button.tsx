"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { Button } from "./button";
import { NETWORK_ERROR } from "@/components/sentences";

// The dialog's code is fetched when the button is pointed at or focused, or at the latest when clicked.
const load = () => import("./copy-link-dialog");
const CopyLinkDialog = dynamic(() => load().then((m) => m.CopyLinkDialog), { ssr: false });

export interface CopyLinkButtonProps {
  email: string;
  /** The ids of the words that name the button, in a table row; otherwise it is named "Copy link for <email>". */
  labelledBy?: string;
  /** Issues a new link on the server; resolves to it, or to a sentence saying why not. */
  issue: () => Promise<{ ok: true; url: string } | { ok: false; message: string }>;
  onIssued?: () => void;
}

/**
 * "Copy link for <email>": asks the server for a new invitation link (the older one stops
 * working) and shows it once, with a copy button. The link is never fetched again. The dialog
 * exists only while open, so a list of fifty invitations renders fifty plain buttons.
 */
export function CopyLinkButton({ email, labelledBy, issue, onIssued }: CopyLinkButtonProps) {
  const opener = useRef<HTMLButtonElement>(null);
  const [pending, setPending] = useState(false);
  const [shown, setShown] = useState<{ url: string | null; message: string | null } | null>(null);

  async function start() {
    setPending(true);
    try {
      const result = await issue().catch(() => ({ ok: false as const, message: NETWORK_ERROR }));
      if (result.ok) onIssued?.();
      setShown(result.ok ? { url: result.url, message: null } : { url: null, message: result.message });
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button
        ref={opener}
        // In a row, a bare button styled by the row; elsewhere a small ghost button.
        bare={labelledBy !== undefined}
        variant="ghost"
        size="sm"
        aria-labelledby={labelledBy}
        aria-label={labelledBy ? undefined : `Copy link for ${email}`}
        aria-haspopup="dialog"
        pending={pending}
        onPointerEnter={() => void load()}
        onFocus={() => void load()}
        onClick={start}
      >
        Copy link
      </Button>
      {/* The link is shown once: closing the dialog forgets it. */}
      {shown && <CopyLinkDialog email={email} url={shown.url} message={shown.message} opener={opener} onClose={() => setShown(null)} />}
    </>
  );
}
