"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { confirmed, unwrap } from "@/components/ui/action";
import { Button } from "@/components/ui/button";
import { ResendButton } from "@/components/ui/invitation-cells";
import { useNow } from "@/components/ui/use-now";
import { resentSentence, revokedSentence } from "@/components/sentences";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLinkButton } from "@/components/ui/copy-link-button";
import { copyOrganizationInvitationLinkAction, resendOrganizationInvitationAction, revokeOrganizationInvitationAction } from "../actions";

/** Resend, copy link and revoke for one pending organization invitation. */
export function OrgInvitationActions({ orgId, invitationId, email, resendInSeconds, renderedAt }: { orgId: string; invitationId: string; email: string; resendInSeconds: number; renderedAt: number }) {
  const router = useRouter();
  const [resending, setResending] = useState(false);
  const now = useNow(renderedAt, resendInSeconds > 0 ? 1_000 : 60_000);
  return (
    <div className="flex flex-wrap gap-1 lg:justify-end">
      <ResendButton
        email={email}
        secondsLeft={resendInSeconds - Math.floor((now - renderedAt) / 1000)}
        pending={resending}
        onResend={async () => {
          setResending(true);
          try {
            await unwrap(resendOrganizationInvitationAction({ orgId, invitationId }));
            toast.success(resentSentence(email));
            router.refresh();
          } catch (err) {
            toast.error((err as Error).message);
          } finally {
            setResending(false);
          }
        }}
      />
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
          if (!(await confirmed(() => unwrap(revokeOrganizationInvitationAction({ orgId, invitationId })), toast.error))) return false;
          toast.success(revokedSentence(email));
          router.refresh();
          return true;
        }}
      />
    </div>
  );
}
