"use client";

import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/**
 * A secret the server returns once (an API key, a SCIM token, a webhook signing secret): the
 * sentence that says so, the value, "Copy" and "Done". `what` names it in the sentence and on the
 * button ("key", "SCIM token"); `noun` is its short name for the toasts ("Key copied").
 */
export function SecretShownOnce({
  what,
  noun,
  name,
  secret,
  testId,
  onDone,
  className = "mt-3",
}: {
  what: string;
  noun: string;
  name: string;
  secret: string;
  testId: string;
  onDone: () => void;
  className?: string;
}) {
  return (
    <div role="status" className={`${className} rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm`}>
      <p className="font-medium">
        Copy the {what} “<bdi>{name}</bdi>” now: it is shown only this once.
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
              () => toast.success(`${noun[0]!.toUpperCase()}${noun.slice(1)} copied`),
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
