"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLinkButton } from "@/components/ui/copy-link-button";
import { copyOrganizationInvitationLinkAction, resendOrganizationInvitationAction, revokeOrganizationInvitationAction } from "../actions";

/** Resend, copy link and revoke for one pending organization invitation. */
export function OrgInvitationActions({ orgId, invitationId, email }: { orgId: string; invitationId: string; email: string }) {
  const router = useRouter();
  const [resending, setResending] = useState(false);
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        aria-label={`Resend invitation to ${email}`}
        pending={resending}
        onClick={async () => {
          setResending(true);
          const result = await resendOrganizationInvitationAction({ orgId, invitationId }).catch(() => null);
          setResending(false);
          if (!result || !result.ok) return void toast.error(result?.message ?? "Could not reach the server. Nothing was changed; please try again.");
          toast.success(`A new invitation link was sent to ${email}. The previous link no longer works.`);
          router.refresh();
        }}
      >
        Resend
      </Button>
      <CopyLinkButton
        email={email}
        issue={async () => {
          const result = await copyOrganizationInvitationLinkAction({ orgId, invitationId });
          return result.ok ? { ok: true, url: result.data.url } : { ok: false, message: result.message };
        }}
      />
      <ConfirmDialog
        trigger={
          <Button variant="ghost" size="sm" aria-label={`Revoke invitation to ${email}`}>
            Revoke
          </Button>
        }
        title={`Revoke the invitation to ${email}?`}
        description={<p>The link stops working and says it was revoked. You can invite them again later.</p>}
        confirmLabel="Revoke"
        onConfirm={async () => {
          const result = await revokeOrganizationInvitationAction({ orgId, invitationId }).catch(() => null);
          if (!result || !result.ok) {
            toast.error(result?.message ?? "Could not reach the server. Nothing was changed; please try again.");
            return false;
          }
          toast.success(`The invitation to ${email} was revoked`);
          router.refresh();
          return true;
        }}
      />
    </>
  );
}
