"use client";

import type { ComponentProps } from "react";
import { useUrlFilter } from "@/components/ui/list-search";
import { Pager } from "@/components/ui/pager";
import { PendingInvitationsTable, type InvitationRow } from "@/components/ui/pending-invitations-table";
import { useAction } from "@/components/ui/use-action";
import { ORG_ROLES, roleLabel } from "@/lib/membership/roles";
import { resentSentence, revokedSentence } from "@/components/sentences";
import { copyOrganizationInvitationLinkAction, resendOrganizationInvitationAction, revokeOrganizationInvitationAction } from "../actions";

const ROLE_OPTIONS = ORG_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

interface Props {
  orgId: string;
  page: { items: InvitationRow[]; total: number; capped?: boolean };
  pager: ComponentProps<typeof Pager>;
  renderedAt: number;
}

/**
 * The organization's pending invitations: the shared table over the server-rendered page (its
 * filter `pending_q`/`pending_role` and cursor `invitations` in the address). Each action's
 * revalidatePath redraws it.
 */
export function OrgInvitationsTable({ orgId, page, pager, renderedAt }: Props) {
  const { filter, setFilter } = useUrlFilter("pending_", "invitations");
  const resend = useAction((i: InvitationRow) => resendOrganizationInvitationAction({ orgId, invitationId: i.id }), {
    success: (_d, i) => resentSentence(i.email),
  });
  const revoke = useAction((i: InvitationRow) => revokeOrganizationInvitationAction({ orgId, invitationId: i.id }), {
    success: (_d, i) => revokedSentence(i.email),
  });
  // The copy dialog says a refusal itself.
  const copy = useAction((i: InvitationRow) => copyOrganizationInvitationLinkAction({ orgId, invitationId: i.id }), {
    onError: () => undefined,
  });
  return (
    <PendingInvitationsTable
      scope="organization"
      headingId="org-invitations-heading"
      page={page}
      roles={ROLE_OPTIONS}
      filter={filter}
      onFilter={setFilter}
      pager={pager}
      renderedAt={renderedAt}
      updatedAt={renderedAt}
      resendingId={resend.input?.id}
      onResend={(i) => void resend.run(i)}
      issueLink={async (i) => {
        const result = await copy.run(i);
        return result.ok ? { ok: true, url: result.data.url } : { ok: false, message: result.message };
      }}
      onRevoke={async (i) => (await revoke.run(i)).ok}
      revokeDescription="The link stops working and says it was revoked. You can invite them again later."
    />
  );
}
