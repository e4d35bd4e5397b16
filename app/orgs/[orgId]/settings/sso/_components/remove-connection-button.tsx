"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import { removeSsoConnectionAction } from "../settings-actions";

export function RemoveConnectionButton({ orgId, name }: { orgId: string; name: string }) {
  const remove = useAction(removeSsoConnectionAction, { success: () => "The connection was removed" });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="secondary" size="sm">
          Remove connection
        </Button>
      }
      title={
        <>
          Remove the connection <bdi>{name}</bdi>?
        </>
      }
      description={
        <p>People can no longer sign in through it. Those who joined through it stay members and sign in with an email link instead.</p>
      }
      confirmLabel="Remove"
      destructive
      onConfirm={async () => (await remove.run({ orgId })).ok}
    />
  );
}
