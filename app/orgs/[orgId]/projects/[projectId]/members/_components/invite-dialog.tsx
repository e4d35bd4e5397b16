"use client";

import dynamic from "next/dynamic";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";

// The dialog (address chips, validation, Radix) is fetched when the button is pointed at or
// focused, or at the latest when it is clicked: the page's first load does not carry it.
const load = () => import("./invite-dialog-content");
const InviteDialogContent = dynamic(() => load().then((m) => m.InviteDialogContent), { ssr: false });

/** "Invite users" and, while open, the invite dialog. */
export function InviteDialog({ orgId, projectId, projectName }: { orgId: string; projectId: string; projectName: string }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <Button
        ref={opener}
        aria-haspopup="dialog"
        onPointerEnter={() => void load()}
        onFocus={() => void load()}
        onClick={() => setOpen(true)}
      >
        <svg aria-hidden viewBox="0 0 16 16" className="size-4" fill="none" stroke="currentColor" strokeWidth="2">
          <path d="M8 3v10M3 8h10" />
        </svg>
        Invite users
      </Button>
      {open && (
        <InviteDialogContent orgId={orgId} projectId={projectId} projectName={projectName} opener={opener} onClose={() => setOpen(false)} />
      )}
    </>
  );
}
