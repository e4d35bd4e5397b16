"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import type { ActionResult } from "@/lib/server/action-result";

/**
 * "Revoke" for a credential (an API key, a SCIM token), after a confirmation that names it and
 * says what stops working. Confirming runs `action` with `input` and says the outcome in a toast.
 */
export function RevokeButton<I>({
  what,
  name,
  consequence,
  action,
  input,
}: {
  what: string;
  name: string;
  consequence: ReactNode;
  action: (input: I) => Promise<ActionResult<unknown>>;
  input: I;
}) {
  const revoke = useAction(action, {
    success: () => (
      <>
        The {what} <bdi>{name}</bdi> was revoked
      </>
    ),
  });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Revoke ${name}`}>
          Revoke
        </Button>
      }
      title={
        <>
          Revoke the {what} <bdi>{name}</bdi>?
        </>
      }
      description={<p>{consequence} This cannot be undone.</p>}
      confirmLabel="Revoke"
      onConfirm={async () => (await revoke.run(input)).ok}
    />
  );
}
