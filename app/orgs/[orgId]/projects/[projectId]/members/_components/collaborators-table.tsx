"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { ListSearch, useUrlFilter } from "@/components/ui/list-search";
import { Pager } from "@/components/ui/pager";
import { totalWords } from "@/components/ui/total-words";
import { Ellipsis, Table, type Column } from "@/components/ui/table";
import type { ListFilter } from "@/lib/membership/list-filter";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "@/lib/membership/roles";
import { roleChangedSentence } from "@/components/sentences";
import type { Page } from "@/lib/membership/types";
import { formatDate } from "@/lib/time";
import { changeRoleAction, removeCollaboratorAction } from "../actions";
import { useAction } from "@/components/ui/use-action";
import { useScriptReady } from "@/components/ui/use-script-ready";
import { listKey, type CollaboratorRow, type Json } from "./api";
import { LeaveProjectButton } from "./leave-project-button";
import { ListError } from "@/components/ui/list-error";
import type { PackedPage } from "./list-rows";
import { useProjectList } from "./use-project-list";

export interface CollaboratorsTableProps {
  orgId: string;
  projectId: string;
  projectName: string;
  actorId: string;
  canManage: boolean;
  canLeave: boolean;
  isLastAdmin: boolean;
  /** The first page, as the server read it (see list-rows.ts). */
  initial: PackedPage;
  initialFilter: ListFilter;
  renderedAt: number;
}

const RANK: Record<ProjectRole, number> = { admin: 0, read_write: 1, read_only: 2 };
const ROLE_OPTIONS = PROJECT_ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

export function CollaboratorsTable({
  orgId,
  projectId,
  projectName,
  actorId,
  canManage,
  canLeave,
  isLastAdmin,
  initial,
  initialFilter,
  renderedAt,
}: CollaboratorsTableProps) {
  const queryClient = useQueryClient();
  const { filter, setFilter } = useUrlFilter();
  const { data, cursor, pager, isFetching, error } = useProjectList(orgId, projectId, "collaborators", initial, {
    filter,
    initialFilter,
    renderedAt,
  });
  const key = listKey(projectId, "collaborators", cursor, filter);
  // Lowering your own role is confirmed first: you may lose the right to undo it.
  const ready = useScriptReady();
  const [selfChange, setSelfChange] = useState<{ userId: string; email: string; role: ProjectRole } | null>(null);

  const changeRole = useAction(
    (v: { userId: string; email: string; role: ProjectRole }) => changeRoleAction({ orgId, projectId, userId: v.userId, role: v.role }),
    {
      // Safe to show at once: the server either applies exactly this or refuses, and we roll back.
      optimistic: async (v) => {
        await queryClient.cancelQueries({ queryKey: key });
        const previous = queryClient.getQueryData<Json<Page<CollaboratorRow>>>(key);
        if (previous)
          queryClient.setQueryData(key, {
            ...previous,
            items: previous.items.map((c) => (c.userId === v.userId ? { ...c, role: v.role } : c)),
          });
        return () => previous && queryClient.setQueryData(key, previous);
      },
      success: (_data, v) => roleChangedSentence(v.email, roleLabel(v.role)),
      invalidate: ["project", projectId],
    },
  );

  const remove = useAction((v: { userId: string; email: string }) => removeCollaboratorAction({ orgId, projectId, userId: v.userId }), {
    success: (_d, v) => `${v.email} was removed from the project`,
    invalidate: ["project", projectId],
  });

  const columns: Column<CollaboratorRow>[] = [
    {
      header: "Name",
      cell: (c) => (
        <span className="flex min-w-0 items-baseline gap-1">
          <Ellipsis text={c.name ?? "—"} />
          {c.userId === actorId && <span className="shrink-0 text-slate-500">(you)</span>}
        </span>
      ),
    },
    { header: "Email", cell: (c) => <Ellipsis text={c.email} /> },
    {
      header: "Role",
      width: "w-48",
      nowrap: true,
      cell: (c) =>
        canManage ? (
          <select
            aria-label={`Role for ${c.email}`}
            value={c.role}
            disabled={changeRole.input?.userId === c.userId || !ready}
            onChange={(e) => {
              const role = e.target.value as ProjectRole;
              if (c.userId === actorId && RANK[role] > RANK[c.role]) setSelfChange({ userId: c.userId, email: c.email, role });
              else void changeRole.run({ userId: c.userId, email: c.email, role });
            }}
          >
            {PROJECT_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        ) : (
          roleLabel(c.role)
        ),
    },
    { header: "Joined", width: "w-32", nowrap: true, cell: (c) => formatDate(c.joinedAt) },
    {
      header: "Actions",
      srOnlyHeader: true,
      width: "w-40",
      className: "cell-actions",
      cell: (c) =>
        c.userId === actorId
          ? canLeave && (
              <LeaveProjectButton orgId={orgId} projectId={projectId} projectName={projectName} isLastAdmin={isLastAdmin} size="sm" />
            )
          : canManage && (
              <ConfirmDialog
                trigger={
                  <Button bare aria-label={`Remove ${c.email}`}>
                    Remove
                  </Button>
                }
                title={`Remove ${c.email}?`}
                description={<p>They lose access to this project and its resources at once. They stay in the organization.</p>}
                confirmLabel="Remove"
                onConfirm={async () => (await remove.run({ userId: c.userId, email: c.email })).ok}
              />
            ),
    },
  ];

  const filtered = Boolean(filter.q || filter.role);
  return (
    <section aria-labelledby="collaborators-heading" className="mt-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="collaborators-heading" className="text-lg font-semibold">
          Collaborators{" "}
          {data && (
            <span className="text-sm font-normal text-slate-600">
              ({totalWords(data.total, data.capped)}
              {filtered ? " found" : ""})
            </span>
          )}
        </h2>
        <span className="text-sm text-slate-500" aria-live="polite">
          {isFetching ? "Updating…" : ""}
        </span>
      </div>
      <ListSearch what="collaborators" roles={ROLE_OPTIONS} filter={filter} onFilter={setFilter} />
      <ListError error={error} />
      <Table
        label="Collaborators"
        columns={columns}
        rows={data?.items ?? []}
        rowKey={(c) => c.userId}
        empty={
          filtered
            ? `No collaborator matches${filter.q ? ` “${filter.q}”` : ""}${filter.role ? ` as ${roleLabel(filter.role as ProjectRole)}` : ""}`
            : "No collaborators yet."
        }
      />
      {pager && <Pager label="Collaborators" {...pager} />}
      {selfChange && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setSelfChange(null)}
          title={`Make yourself ${roleLabel(selfChange.role)}?`}
          description={
            <p>
              You give up your own access level on <bdi>{projectName}</bdi>.{" "}
              {selfChange.role === "read_only"
                ? "You will no longer be able to change files or manage people."
                : "You will no longer be able to manage people; another Project Admin has to give it back."}
            </p>
          }
          confirmLabel={`Make me ${roleLabel(selfChange.role)}`}
          onConfirm={async () => {
            // A refusal is told by the action's toast; the dialog closes either way.
            await changeRole.run(selfChange);
            return true;
          }}
        />
      )}
    </section>
  );
}
