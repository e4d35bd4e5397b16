"use client";

import { Button } from "@/components/ui/button";
import { ResendButton } from "@/components/ui/invitation-cells";
import { useAction } from "@/components/ui/use-action";
import { useNow } from "@/components/ui/use-now";
import { resentSentence, revokedSentence } from "@/components/sentences";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLinkButton } from "@/components/ui/copy-link-button";
import { copyOrganizationInvitationLinkAction, resendOrganizationInvitationAction, revokeOrganizationInvitationAction } from "../actions";

/** Resend, copy link and revoke for one pending organization invitation. */
export function OrgInvitationActions({ orgId, invitationId, email, resendInSeconds, renderedAt }: { orgId: string; invitationId: string; email: string; resendInSeconds: number; renderedAt: number }) {
  const now = useNow(renderedAt, resendInSeconds > 0 ? 1_000 : 60_000);
  const resend = useAction(resendOrganizationInvitationAction, { success: () => resentSentence(email), invalidate: ["org", orgId] });
  const revoke = useAction(revokeOrganizationInvitationAction, { success: () => revokedSentence(email), invalidate: ["org", orgId] });
  // The copy dialog says a refusal itself.
  const copy = useAction(copyOrganizationInvitationLinkAction, { onError: () => undefined, invalidate: ["org", orgId] });
  return (
    <div className="flex flex-wrap gap-1 lg:justify-end">
      <ResendButton
        email={email}
        secondsLeft={resendInSeconds - Math.floor((now - renderedAt) / 1000)}
        pending={resend.isPending}
        onResend={() => void resend.run({ orgId, invitationId })}
      />
      <CopyLinkButton
        email={email}
        issue={async () => {
          const result = await copy.run({ orgId, invitationId });
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
        onConfirm={async () => (await revoke.run({ orgId, invitationId })).ok}
      />
    </div>
  );
}
