"use client";

import type { ReactNode } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/**
 * A secret the server returns once (an API key, a SCIM token, a webhook signing secret): what
 * happened (`children`), the sentence that says it is shown once, the value, "Copy" and "Done".
 * `what` names it in the sentence and the toast ("key", "signing secret"); `noun` is its short
 * name on the button ("Copy key", "Copy secret").
 */
export function SecretShownOnce({
  what,
  noun,
  name,
  secret,
  testId,
  onDone,
  className = "mt-3",
  children,
}: {
  what: string;
  noun: string;
  name?: string;
  secret: string;
  testId: string;
  onDone: () => void;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <div role="status" className={`${className} rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm`}>
      {children}
      <p className={children ? "mt-1 font-medium" : "font-medium"}>
        Copy the {what}
        {name !== undefined && (
          <>
            {" "}
            “<bdi>{name}</bdi>”
          </>
        )}{" "}
        now: it is shown only this once.
      </p>
      <code data-testid={testId} className="mt-2 block break-all rounded bg-white p-2 font-mono">
        {secret}
      </code>
      <div className="mt-2 flex gap-2">
        <Button
          size="sm"
          variant="secondary"
          onClick={() =>
            navigator.clipboard.writeText(secret).then(
              () => toast.success(`${what[0]!.toUpperCase()}${what.slice(1)} copied`),
              () => toast.error(`Could not copy; select the ${noun} and copy it.`),
            )
          }
        >
          Copy {noun}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
