"use client";

import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";

/**
 * "Revoke" for a credential (an API key, a SCIM token), after a confirmation that names it and
 * says what stops working. `onConfirm` runs the action and answers whether it went through.
 */
export function RevokeButton({
  what,
  name,
  consequence,
  onConfirm,
}: {
  what: string;
  name: string;
  consequence: ReactNode;
  onConfirm: () => Promise<boolean>;
}) {
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
      onConfirm={onConfirm}
    />
  );
}
