"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { acceptInvitationAction, declineInvitationAction } from "./actions";
import { useAction } from "@/components/ui/use-action";

export function InvitationAnswer({ token, projectName }: { token: string; projectName: string }) {
  // projectName: the project of a project invitation, else the organization's name.
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [busy, setBusy] = useState<"accept" | "decline" | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const onError = (refusal: { message: string }) => setMessage(refusal.message);
  const accept = useAction(acceptInvitationAction, {
    onError,
    onSuccess: (joined) =>
      router.push(joined.projectId ? `/orgs/${joined.orgId}/projects/${joined.projectId}/members` : `/orgs/${joined.orgId}/projects`),
  });
  // Declining revalidates no page of the console, so this page is asked again to say "declined".
  const decline = useAction(declineInvitationAction, { onError, refresh: true });

  function answer(kind: "accept" | "decline") {
    setBusy(kind);
    setMessage(null);
    startTransition(async () => {
      const result = await (kind === "accept" ? accept : decline).run({ token });
      // An accepted invitation leaves this page: its button stays busy until the next one shows.
      if (!(result.ok && kind === "accept")) setBusy(null);
    });
  }

  return (
    <div>
      {message && (
        <p role="alert" className="mb-3 rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          {message}
        </p>
      )}
      <div className="flex gap-2">
        <Button pending={pending && busy === "accept"} disabled={pending} onClick={() => answer("accept")}>
          Accept invitation
        </Button>
        <ConfirmDialog
          trigger={
            <Button variant="secondary" pending={pending && busy === "decline"} disabled={pending}>
              Decline
            </Button>
          }
          title={
            <>
              Decline the invitation to <bdi>{projectName}</bdi>?
            </>
          }
          description={<p>The invitation link stops working. To join later, you would need a new invitation.</p>}
          confirmLabel="Decline"
          onConfirm={async () => {
            answer("decline");
            return true;
          }}
        />
      </div>
    </div>
  );
}
