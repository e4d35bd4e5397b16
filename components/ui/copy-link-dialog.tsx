"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { ModalFrame } from "./modal-frame";
import { useState, type RefObject } from "react";
import { Button } from "./button";

/** CopyLinkButton's dialog: the new link, or why there is none. Loaded only when first needed. */
export function CopyLinkDialog({
  email,
  url,
  message,
  opener,
  onClose,
}: {
  email: string;
  url: string | null;
  message: string | null;
  opener: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Dialog.Root open onOpenChange={(next) => !next && onClose()}>
      <ModalFrame opener={opener} width="max-w-lg">
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
                  setCopied(false);
                }
              }}
            >
              Copy
            </Button>
          )}
        </div>
      </ModalFrame>
    </Dialog.Root>
  );
}
