"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import { revokeScimTokenAction } from "../scim-actions";

/** "Revoke" a SCIM token, after a confirmation. */
export function RevokeScimTokenButton({ orgId, tokenId, name }: { orgId: string; tokenId: string; name: string }) {
  const revoke = useAction(revokeScimTokenAction, {
    success: () => (
      <>
        The SCIM token <bdi>{name}</bdi> was revoked
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
          Revoke the SCIM token <bdi>{name}</bdi>?
        </>
      }
      description={<p>The identity provider&apos;s next request with it is refused. This cannot be undone.</p>}
      confirmLabel="Revoke"
      onConfirm={async () => (await revoke.run({ orgId, tokenId })).ok}
    />
  );
}
