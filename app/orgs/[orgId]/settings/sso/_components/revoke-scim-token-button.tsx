"use client";

import { RevokeButton } from "@/components/ui/revoke-button";
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
    <RevokeButton
      what="SCIM token"
      name={name}
      consequence="The identity provider's next request with it is refused."
      onConfirm={async () => (await revoke.run({ orgId, tokenId })).ok}
    />
  );
}
