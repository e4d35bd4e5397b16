"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useUrlFilter } from "@/components/ui/list-search";
import { PendingInvitationsTable } from "@/components/ui/pending-invitations-table";
import { useAction } from "@/components/ui/use-action";
import type { ListFilter } from "@/lib/membership/list-filter";
import { PROJECT_ROLES, roleLabel } from "@/lib/membership/roles";
import { resentSentence, revokedSentence } from "@/components/sentences";
import type { Page } from "@/lib/membership/types";
import { copyInvitationLinkAction, resendInvitationAction, revokeInvitationAction } from "../actions";
import { listKey, type InvitationRow, type Json } from "./api";
import type { PackedPage } from "./list-rows";
import { useProjectList } from "./use-project-list";

const ROLE_OPTIONS = PROJECT_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

/** While an email is queued or being retried, the list asks again every 2 s, so "Queued" turns into "Sent" on its own. */
const whileDelivering = (data: Json<Page<InvitationRow>> | undefined) =>
  data?.items.some((i) => i.delivery === "sending" || i.delivery === "retrying") ? 2_000 : false;

interface Props {
  orgId: string;
  projectId: string;
  /** The first page, as the server read it (see list-rows.ts). */
  initial: PackedPage;
  initialFilter: ListFilter;
  renderedAt: number;
}

/** The project's pending invitations: the shared table over a TanStack list. */
export function InvitationsTable({ orgId, projectId, initial, initialFilter, renderedAt }: Props) {
  const queryClient = useQueryClient();
  const { filter, setFilter } = useUrlFilter("pending_");
  const { data, cursor, pager, error, dataUpdatedAt } = useProjectList(orgId, projectId, "invitations", initial, {
    filter,
    initialFilter,
    renderedAt,
    refreshEveryMs: whileDelivering,
  });
  const key = listKey(projectId, "invitations", cursor, filter);
  const invalidate = ["project", projectId];

  const resend = useAction((v: { id: string; email: string }) => resendInvitationAction({ orgId, projectId, invitationId: v.id }), {
    success: (_d, v) => resentSentence(v.email),
    invalidate,
  });

  const revoke = useAction((v: { id: string; email: string }) => revokeInvitationAction({ orgId, projectId, invitationId: v.id }), {
    // Optimistic: the row leaves at once and comes back if the server refuses.
    optimistic: async (v) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Json<Page<InvitationRow>>>(key);
      if (previous)
        queryClient.setQueryData(key, { ...previous, total: previous.total - 1, items: previous.items.filter((i) => i.id !== v.id) });
      return () => previous && queryClient.setQueryData(key, previous);
    },
    success: (_d, v) => revokedSentence(v.email),
    invalidate,
  });

  // The copy dialog says a refusal itself.
  const copy = useAction((id: string) => copyInvitationLinkAction({ orgId, projectId, invitationId: id }), {
    onError: () => undefined,
    invalidate,
  });

  return (
    <PendingInvitationsTable
      scope="project"
      headingId="invitations-heading"
      page={data}
      roles={ROLE_OPTIONS}
      filter={filter}
      onFilter={setFilter}
      error={error}
      pager={pager && { label: "Pending invitations", ...pager }}
      renderedAt={renderedAt}
      updatedAt={dataUpdatedAt}
      resendingId={resend.input?.id}
      onResend={(i) => void resend.run({ id: i.id, email: i.email })}
      issueLink={async (i) => {
        const result = await copy.run(i.id);
        return result.ok ? { ok: true, url: result.data.url } : { ok: false, message: result.message };
      }}
      onRevoke={async (i) => (await revoke.run({ id: i.id, email: i.email })).ok}
      revokeDescription="The link in their email stops working and says it was revoked. You can invite them again later."
    />
  );
}
