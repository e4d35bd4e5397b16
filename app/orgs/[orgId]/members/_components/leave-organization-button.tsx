"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import { LAST_OWNER_MESSAGE } from "@/lib/membership/messages";
import { leaveOrganizationAction } from "../actions";

/** "Leave organization", confirmed first; the last Owner is told to make someone else Owner. */
export function LeaveOrganizationButton({ orgId, orgName, isLastOwner }: { orgId: string; orgName: string; isLastOwner: boolean }) {
  const router = useRouter();
  const leave = useAction(leaveOrganizationAction, {
    success: () => (
      <>
        You left <bdi>{orgName}</bdi>
      </>
    ),
    // The action revalidated /orgs, so the list there is drawn fresh.
    onSuccess: () => router.push("/orgs"),
  });
  return (
    <ConfirmDialog
      trigger={<Button variant="secondary">Leave organization</Button>}
      title={
        <>
          Leave <bdi>{orgName}</bdi>?
        </>
      }
      description={<p>Your access to the organization, to every project in it and to their resources ends at once.</p>}
      confirmLabel="Leave organization"
      blocked={isLastOwner ? LAST_OWNER_MESSAGE : undefined}
      onConfirm={async () => (await leave.run({ orgId })).ok}
    />
  );
}
