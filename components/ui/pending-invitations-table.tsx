"use client";

import type { ComponentProps } from "react";
import type { ListFilter } from "@/lib/membership/list-filter";
import { roleLabel } from "@/lib/membership/roles";
import { Button } from "./button";
import { ConfirmDialog } from "./confirm-dialog";
import { CopyLinkButton } from "./copy-link-button";
import { DeliveryCell, ResendButton } from "./invitation-cells";
import type { InvitationRow } from "./invitation-row";
import { ListError } from "./list-error";
import { ListSearch } from "./list-search";
import { Pager } from "./pager";
import { Ellipsis, Table, type Column } from "./table";
import { totalWords } from "./total-words";
import { secondsLeft, useNow } from "./use-now";

export type { InvitationRow };

interface Props {
  /** "project": the role granted there and who invited; "organization": the organization role and the project access. */
  scope: "project" | "organization";
  headingId: string;
  page: { items: InvitationRow[]; total: number; capped?: boolean } | undefined;
  roles: readonly { value: string; label: string }[];
  filter: ListFilter;
  onFilter: (next: ListFilter) => void;
  error?: Error | null;
  pager: ComponentProps<typeof Pager> | null;
  /** When the server read the rows (first render), and when the rows shown were read: resend waits count from there. */
  renderedAt: number;
  updatedAt: number;
  resendingId?: string;
  onResend: (row: InvitationRow) => void;
  issueLink: (row: InvitationRow) => Promise<{ ok: true; url: string } | { ok: false; message: string }>;
  onRevoke: (row: InvitationRow) => Promise<boolean>;
  revokeDescription: string;
}

/** The one pending-invitations table: search, role filter, rows with resend, copy link and revoke, pager. */
export function PendingInvitationsTable({
  scope,
  headingId,
  page,
  roles,
  filter,
  onFilter,
  error,
  pager,
  renderedAt,
  updatedAt,
  resendingId,
  onResend,
  issueLink,
  onRevoke,
  revokeDescription,
}: Props) {
  const coolingDown = page?.items.some((i) => i.resendInSeconds > 0) ?? false;
  const now = useNow(renderedAt, coolingDown ? 1_000 : 15_000);

  // Each row's buttons are named by words said once for the table and the row's address cell
  // ("Resend invitation to" + "a@b.test"), not by three sentences repeating the address per row.
  const rows = page?.items ?? [];
  const addressId = new Map(rows.map((r, n) => [r.id, `pi-${n}`]));
  const columns: Column<InvitationRow>[] = [
    { header: "Email", cell: (i) => <Ellipsis text={i.email} id={addressId.get(i.id)} /> },
    ...(scope === "project"
      ? [
          { header: "Role", width: "w-36", nowrap: true, cell: (i: InvitationRow) => roleLabel(i.role) },
          { header: "Invited by", cell: (i: InvitationRow) => <Ellipsis text={i.invitedBy ?? "—"} /> },
        ]
      : [
          { header: "Role", width: "w-44", nowrap: true, cell: (i: InvitationRow) => roleLabel(i.role) },
          { header: "Project access", cell: (i: InvitationRow) => <ProjectAccess grants={i.grants ?? []} /> },
        ]),
    {
      header: "Expires",
      width: "w-36",
      nowrap: true,
      cell: (i) => (i.isExpired ? <span className="font-medium text-red-700">{i.expiryLabel}</span> : i.expiryLabel),
    },
    { header: "Delivery", width: "w-44", cell: (i) => <DeliveryCell row={i} /> },
    {
      header: "Actions",
      srOnlyHeader: true,
      width: "w-56",
      cell: (i) => (
        <div className="row-actions">
          <ResendButton
            labelledBy={`pi-rs ${addressId.get(i.id)}`}
            secondsLeft={secondsLeft(i.resendInSeconds, updatedAt, now)}
            pending={resendingId === i.id}
            onResend={() => onResend(i)}
          />
          <CopyLinkButton email={i.email} labelledBy={`pi-cl ${addressId.get(i.id)}`} issue={() => issueLink(i)} />
          <ConfirmDialog
            trigger={
              <Button bare aria-labelledby={`pi-rv ${addressId.get(i.id)}`}>
                Revoke
              </Button>
            }
            title={`Revoke the invitation to ${i.email}?`}
            description={<p>{revokeDescription}</p>}
            confirmLabel="Revoke"
            onConfirm={() => onRevoke(i)}
          />
        </div>
      ),
    },
  ];

  const filtered = Boolean(filter.q || filter.role);
  const roleName = filter.role ? roles.find((r) => r.value === filter.role)?.label : undefined;
  return (
    <section aria-labelledby={headingId} className="mt-10">
      <h2 id={headingId} className="text-lg font-semibold">
        Pending invitations{" "}
        {page && (
          <span className="text-sm font-normal text-slate-600">
            ({totalWords(page.total, page.capped === true)}
            {filtered ? " found" : ""})
          </span>
        )}
      </h2>
      <ListSearch what="pending invitations" roles={roles} filter={filter} onFilter={onFilter} />
      <ListError error={error ?? null} />
      {/* The first words of the row buttons' names; one table of pending invitations a page. */}
      <span hidden id="pi-rs">
        Resend invitation to
      </span>
      <span hidden id="pi-cl">
        Copy link for
      </span>
      <span hidden id="pi-rv">
        Revoke invitation to
      </span>
      <Table
        label="Pending invitations"
        columns={columns}
        rows={rows}
        rowKey={(i) => i.id}
        empty={
          filtered
            ? `No pending invitation matches${filter.q ? ` “${filter.q}”` : ""}${roleName ? ` as ${roleName}` : ""}`
            : "No pending invitations"
        }
      />
      {pager && <Pager {...pager} />}
    </section>
  );
}

function ProjectAccess({ grants }: { grants: NonNullable<InvitationRow["grants"]> }) {
  if (grants.length === 0) return "—";
  return (
    <span className="break-words">
      {grants.map((g, n) => (
        <span key={g.projectId}>
          {n > 0 && ", "}
          <bdi>{g.projectName}</bdi>: {roleLabel(g.role)}
        </span>
      ))}
    </span>
  );
}
