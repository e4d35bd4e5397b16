"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useAction } from "@/components/ui/use-action";
import { removeOrganizationMemberAction } from "../../actions";

export function RemoveMemberButton({ orgId, userId, email, projects }: { orgId: string; userId: string; email: string; projects: number }) {
  const remove = useAction(removeOrganizationMemberAction, { success: () => `${email} was removed from the organization` });
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Remove ${email} from the organization`}>
          Remove
        </Button>
      }
      title={`Remove ${email} from the organization?`}
      description={
        <p>
          They lose access to the organization
          {projects === 0 ? "" : projects === 1 ? " and to the 1 project they work on" : ` and to all ${projects} projects they work on`},
          at once. Pending invitations to them are revoked.
        </p>
      }
      confirmLabel="Remove"
      onConfirm={async () => (await remove.run({ orgId, userId })).ok}
    />
  );
}
