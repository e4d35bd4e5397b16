"use client";

import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { confirmed, unwrap } from "@/components/ui/action";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LAST_OWNER_MESSAGE } from "@/lib/membership/messages";
import { leaveOrganizationAction } from "../actions";

/** "Leave organization", confirmed first; the last Owner is told to make someone else Owner. */
export function LeaveOrganizationButton({ orgId, orgName, isLastOwner }: { orgId: string; orgName: string; isLastOwner: boolean }) {
  const router = useRouter();
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
      onConfirm={async () => {
        if (!(await confirmed(() => unwrap(leaveOrganizationAction({ orgId })), toast.error))) return false;
        toast.success(
          <>
            You left <bdi>{orgName}</bdi>
          </>,
        );
        router.push("/orgs");
        router.refresh();
        return true;
      }}
    />
  );
}
