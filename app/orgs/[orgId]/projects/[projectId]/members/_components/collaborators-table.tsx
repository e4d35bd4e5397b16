"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Pager } from "@/components/ui/pager";
import type { Page } from "@/lib/membership/types";
import { PROJECT_ROLES, roleLabel, type ProjectRole } from "@/lib/membership/roles";
import { changeRoleAction, removeCollaboratorAction } from "../actions";
import { confirmed, listKey, unwrap, type CollaboratorRow, type Json } from "./api";
import { formatDate } from "./format";
import { ListError } from "./list-error";
import { useProjectList } from "./use-project-list";

interface Props {
  orgId: string;
  projectId: string;
  actorId: string;
  canManage: boolean;
  initial: Json<Page<CollaboratorRow>>;
}

export function CollaboratorsTable({ orgId, projectId, actorId, canManage, initial }: Props) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const { data, page, setPage, isFetching, error } = useProjectList(orgId, projectId, "collaborators", initial);
  const key = listKey(projectId, "collaborators", page);

  const changeRole = useMutation({
    mutationFn: (v: { userId: string; email: string; role: ProjectRole }) => unwrap(changeRoleAction({ orgId, projectId, userId: v.userId, role: v.role })),
    // Safe to show at once: the server either applies exactly this or refuses, and we roll back.
    onMutate: async (v) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Json<Page<CollaboratorRow>>>(key);
      if (previous) queryClient.setQueryData(key, { ...previous, items: previous.items.map((c) => (c.userId === v.userId ? { ...c, role: v.role } : c)) });
      return { previous };
    },
    onError: (err: Error, _v, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
      toast.error(err.message);
    },
    onSuccess: (_data, v) => {
      toast.success(`${v.email} is now ${roleLabel(v.role)}`);
      if (v.userId === actorId) router.refresh();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["project", projectId] }),
  });

  const remove = useMutation({
    mutationFn: (v: { userId: string; email: string }) => unwrap(removeCollaboratorAction({ orgId, projectId, userId: v.userId })),
    onSuccess: (_d, v) => {
      toast.success(`${v.email} was removed from the project`);
      if (v.userId === actorId) router.refresh();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["project", projectId] }),
  });

  const rows = data?.items ?? [];
  return (
    <section aria-labelledby="collaborators-heading" className="mt-8">
      <div className="flex items-baseline justify-between">
        <h2 id="collaborators-heading" className="text-lg font-semibold">
          Collaborators {data && <span className="text-sm font-normal text-slate-600">({data.total})</span>}
        </h2>
        {isFetching && <span className="text-sm text-slate-500">Updating…</span>}
      </div>
      <ListError error={error} />
      <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table aria-label="Collaborators" className="w-full min-w-[36rem] text-left text-sm">
          <thead className="bg-slate-50 text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">Name</th>
              <th scope="col" className="px-3 py-2 font-medium">Email</th>
              <th scope="col" className="px-3 py-2 font-medium">Role</th>
              <th scope="col" className="px-3 py-2 font-medium">Joined</th>
              {canManage && (
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <tr>
                <td colSpan={canManage ? 5 : 4} className="px-3 py-6 text-center text-slate-600">
                  No collaborators yet.
                </td>
              </tr>
            )}
            {rows.map((c) => (
              <tr key={c.userId}>
                <td className="px-3 py-2">{c.name ?? "—"}{c.userId === actorId && <span className="ml-1 text-slate-500">(you)</span>}</td>
                <td className="break-all px-3 py-2">{c.email}</td>
                <td className="px-3 py-2">
                  {canManage ? (
                    <select
                      aria-label={`Role for ${c.email}`}
                      value={c.role}
                      disabled={changeRole.isPending && changeRole.variables?.userId === c.userId}
                      onChange={(e) => changeRole.mutate({ userId: c.userId, email: c.email, role: e.target.value as ProjectRole })}
                      className="rounded-md border border-slate-300 bg-white px-2 py-1"
                    >
                      {PROJECT_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {roleLabel(r)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    roleLabel(c.role)
                  )}
                </td>
                <td className="whitespace-nowrap px-3 py-2">{formatDate(c.joinedAt)}</td>
                {canManage && c.userId === actorId && (
                  <td className="px-3 py-2 text-right text-xs text-slate-600">Use Leave project</td>
                )}
                {canManage && c.userId !== actorId && (
                  <td className="px-3 py-2 text-right">
                    <ConfirmDialog
                      trigger={
                        <Button variant="ghost" size="sm" aria-label={`Remove ${c.email}`}>
                          Remove
                        </Button>
                      }
                      title={`Remove ${c.email}?`}
                      description={<p>They lose access to this project and its resources at once. They stay in the organization.</p>}
                      confirmLabel="Remove"
                      onConfirm={() => confirmed(() => remove.mutateAsync({ userId: c.userId, email: c.email }), toast.error)}
                    />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && <Pager label="Collaborators" page={page} pageSize={data.pageSize} total={data.total} onPage={setPage} />}
    </section>
  );
}
