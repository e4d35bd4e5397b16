"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { revokeApiKeyAction } from "../actions";

export function RevokeApiKeyButton({ orgId, keyId, name }: { orgId: string; keyId: string; name: string }) {
  const router = useRouter();
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
      onConfirm={async () => {
        const result = await revokeApiKeyAction({ orgId, keyId }).catch(() => null);
        if (!result) {
          toast.error("Could not reach the server. Nothing was changed; please try again.");
          return false;
        }
        if (!result.ok) {
          toast.error(result.message);
          return false;
        }
        toast.success(
          <>
            The API key <bdi>{name}</bdi> was revoked
          </>,
        );
        router.refresh();
        return true;
      }}
    />
  );
}
