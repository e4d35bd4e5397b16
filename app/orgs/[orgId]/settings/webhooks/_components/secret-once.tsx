"use client";

import type { ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** A signing secret shown this once, with a copy button: the console never shows it again. */
export function SecretOnce({ secret, children, onDone }: { secret: string; children: ReactNode; onDone: () => void }) {
  return (
    <div role="status" className="mt-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
      {children}
      <p className="mt-1 font-medium">Copy the signing secret now: it will not be shown again.</p>
      <code data-testid="webhook-secret" className="mt-2 block break-all rounded bg-white p-2 font-mono">
        {secret}
      </code>
      <div className="mt-2 flex gap-2">
        <Button
          size="sm"
          variant="secondary"
          onClick={() =>
            navigator.clipboard.writeText(secret).then(
              () => toast.success("Signing secret copied"),
              () => toast.error("Could not copy; select the secret and copy it."),
            )
          }
        >
          Copy secret
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
