"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import { revokeApiKeyAction } from "../actions";

export function RevokeApiKeyButton({ orgId, keyId, name }: { orgId: string; keyId: string; name: string }) {
  const revoke = useAction(revokeApiKeyAction, {
    success: () => (
      <>
        The API key <bdi>{name}</bdi> was revoked
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
          Revoke the API key <bdi>{name}</bdi>?
        </>
      }
      description={<p>The next request made with it is refused. This cannot be undone.</p>}
      confirmLabel="Revoke"
      onConfirm={async () => (await revoke.run({ orgId, keyId })).ok}
    />
  );
}
