"use client";

import { RevokeButton } from "@/components/ui/revoke-button";
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
    <RevokeButton
      what="API key"
      name={name}
      consequence="The next request made with it is refused."
      onConfirm={async () => (await revoke.run({ orgId, keyId })).ok}
    />
  );
}
