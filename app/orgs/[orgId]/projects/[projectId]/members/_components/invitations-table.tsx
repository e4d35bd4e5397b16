"use client";

import { useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLinkButton } from "@/components/ui/copy-link-button";
import { DeliveryCell, ResendButton } from "@/components/ui/invitation-cells";
import { ListSearch, useUrlFilter } from "@/components/ui/list-search";
import { Pager } from "@/components/ui/pager";
import { totalWords } from "@/components/ui/total-words";
import { Ellipsis, Table, type Column } from "@/components/ui/table";
import { useNow } from "@/components/ui/use-now";
import type { ListFilter } from "@/lib/membership/list-filter";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "@/lib/membership/roles";
import { resentSentence, revokedSentence } from "@/components/sentences";
import type { Page } from "@/lib/membership/types";
import { copyInvitationLinkAction, resendInvitationAction, revokeInvitationAction } from "../actions";
import { useAction } from "@/components/ui/use-action";
import { listKey, type InvitationRow, type Json } from "./api";
import { ListError } from "./list-error";
import { useProjectList } from "./use-project-list";

const ROLE_OPTIONS = PROJECT_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

/** While an email is queued or being retried, the list asks again every 2 s, so "Queued" turns into "Sent" on its own. */
const whileDelivering = (data: Json<Page<InvitationRow>> | undefined) => (data?.items.some((i) => i.delivery === "sending" || i.delivery === "retrying") ? 2_000 : false);

interface Props {
  orgId: string;
  projectId: string;
  initial: Json<Page<InvitationRow>>;
  initialFilter: ListFilter;
  renderedAt: number;
}

export function InvitationsTable({ orgId, projectId, initial, initialFilter, renderedAt }: Props) {
  const queryClient = useQueryClient();
  const { filter, setFilter } = useUrlFilter("pending_");
  const { data, cursor, pager, error, dataUpdatedAt } = useProjectList(orgId, projectId, "invitations", initial, { filter, initialFilter, renderedAt, refreshEveryMs: whileDelivering });
  const key = listKey(projectId, "invitations", cursor, filter);
  const coolingDown = data?.items.some((i) => i.resendInSeconds > 0) ?? false;
  const now = useNow(renderedAt, coolingDown ? 1_000 : 15_000);
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
      if (previous) queryClient.setQueryData(key, { ...previous, total: previous.total - 1, items: previous.items.filter((i) => i.id !== v.id) });
      return () => previous && queryClient.setQueryData(key, previous);
    },
    success: (_d, v) => revokedSentence(v.email),
    invalidate,
  });

  // The copy dialog says a refusal itself.
  const copy = useAction((id: string) => copyInvitationLinkAction({ orgId, projectId, invitationId: id }), { onError: () => undefined, invalidate });

  const columns: Column<InvitationRow>[] = [
    { header: "Email", cell: (i) => <Ellipsis text={i.email} /> },
    { header: "Role", width: "w-36", cell: (i) => <span className="whitespace-nowrap">{roleLabel(i.role)}</span> },
    { header: "Invited by", cell: (i) => <Ellipsis text={i.invitedBy ?? "—"} /> },
    { header: "Expires", width: "w-36", cell: (i) => <span className={`whitespace-nowrap ${i.isExpired ? "font-medium text-red-700" : ""}`}>{i.expiryLabel}</span> },
    { header: "Delivery", width: "w-44", cell: (i) => <DeliveryCell row={i} /> },
    {
      header: "Actions",
      srOnlyHeader: true,
      width: "w-56",
      className: "lg:text-right lg:whitespace-nowrap",
      cell: (i) => (
        <div className="flex flex-wrap gap-1 lg:justify-end">
          <ResendButton
            email={i.email}
            secondsLeft={i.resendInSeconds - Math.floor((now - dataUpdatedAt) / 1000)}
            pending={resend.input?.id === i.id}
            onResend={() => void resend.run({ id: i.id, email: i.email })}
          />
          <CopyLinkButton
            email={i.email}
            issue={async () => {
              const result = await copy.run(i.id);
              return result.ok ? { ok: true, url: result.data.url } : { ok: false, message: result.message };
            }}
          />
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" aria-label={`Revoke invitation to ${i.email}`}>
                Revoke
              </Button>
            }
            title={`Revoke the invitation to ${i.email}?`}
            description={<p>The link in their email stops working and says it was revoked. You can invite them again later.</p>}
            confirmLabel="Revoke"
            onConfirm={async () => (await revoke.run({ id: i.id, email: i.email })).ok}
          />
        </div>
      ),
    },
  ];

  const filtered = Boolean(filter.q || filter.role);
  return (
    <section aria-labelledby="invitations-heading" className="mt-10">
      <h2 id="invitations-heading" className="text-lg font-semibold">
        Pending invitations {data && <span className="text-sm font-normal text-slate-600">({totalWords(data.total, data.capped)}{filtered ? " found" : ""})</span>}
      </h2>
      <ListSearch what="pending invitations" roles={ROLE_OPTIONS} filter={filter} onFilter={setFilter} />
      <ListError error={error} />
      <Table
        label="Pending invitations"
        columns={columns}
        rows={data?.items ?? []}
        rowKey={(i) => i.id}
        empty={filtered ? `No pending invitation matches${filter.q ? ` “${filter.q}”` : ""}${filter.role ? ` as ${roleLabel(filter.role as ProjectRole)}` : ""}` : "No pending invitations"}
      />
      {pager && <Pager label="Pending invitations" {...pager} />}
    </section>
  );
}
