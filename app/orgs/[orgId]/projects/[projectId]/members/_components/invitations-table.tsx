"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyLinkButton } from "@/components/ui/copy-link-button";
import { Pager } from "@/components/ui/pager";
import { roleLabel } from "@/lib/membership/roles";
import type { Page } from "@/lib/membership/types";
import { copyInvitationLinkAction, resendInvitationAction, revokeInvitationAction } from "../actions";
import { confirmed, listKey, unwrap, type InvitationRow, type Json } from "./api";
import { ListError } from "./list-error";
import { useProjectList } from "./use-project-list";

const DELIVERY_STYLE: Record<InvitationRow["delivery"], string> = {
  sent: "text-green-800",
  sending: "text-slate-700",
  retrying: "text-amber-800",
  failed: "text-red-700",
};

export function InvitationsTable({ orgId, projectId, initial }: { orgId: string; projectId: string; initial: Json<Page<InvitationRow>> }) {
  const queryClient = useQueryClient();
  const { data, page, setPage, error } = useProjectList(orgId, projectId, "invitations", initial);
  const key = listKey(projectId, "invitations", page);

  const resend = useMutation({
    mutationFn: (v: { id: string; email: string }) => unwrap(resendInvitationAction({ orgId, projectId, invitationId: v.id })),
    onSuccess: (_d, v) => toast.success(`A new invitation link was sent to ${v.email}. The previous link no longer works.`),
    onError: (err: Error) => toast.error(err.message),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["project", projectId] }),
  });

  const revoke = useMutation({
    mutationFn: (v: { id: string; email: string }) => unwrap(revokeInvitationAction({ orgId, projectId, invitationId: v.id })),
    // Optimistic: the row leaves at once and comes back if the server refuses.
    onMutate: async (v) => {
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<Json<Page<InvitationRow>>>(key);
      if (previous) queryClient.setQueryData(key, { ...previous, total: previous.total - 1, items: previous.items.filter((i) => i.id !== v.id) });
      return { previous };
    },
    onError: (_err: Error, _v, context) => {
      if (context?.previous) queryClient.setQueryData(key, context.previous);
    },
    onSuccess: (_d, v) => toast.success(`The invitation to ${v.email} was revoked`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ["project", projectId] }),
  });

  const rows = data?.items ?? [];
  return (
    <section aria-labelledby="invitations-heading" className="mt-10">
      <h2 id="invitations-heading" className="text-lg font-semibold">
        Pending invitations {data && <span className="text-sm font-normal text-slate-600">({data.total})</span>}
      </h2>
      <ListError error={error} />
      {rows.length === 0 ? (
        <p className="mt-3 rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-slate-600">No pending invitations</p>
      ) : (
        <div className="mt-3 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table aria-label="Pending invitations" className="w-full min-w-[44rem] text-left text-sm">
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">Email</th>
                <th scope="col" className="px-3 py-2 font-medium">Role</th>
                <th scope="col" className="px-3 py-2 font-medium">Invited by</th>
                <th scope="col" className="px-3 py-2 font-medium">Expires</th>
                <th scope="col" className="px-3 py-2 font-medium">Delivery</th>
                <th scope="col" className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((i) => (
                <tr key={i.id}>
                  <td className="break-all px-3 py-2">{i.email}</td>
                  <td className="px-3 py-2">{roleLabel(i.role)}</td>
                  <td className="break-all px-3 py-2">{i.invitedBy ?? "—"}</td>
                  <td className={`whitespace-nowrap px-3 py-2 ${i.isExpired ? "font-medium text-red-700" : ""}`}>{i.expiryLabel}</td>
                  <td className={`px-3 py-2 ${DELIVERY_STYLE[i.delivery]}`}>
                    {i.deliveryLabel}
                    {i.lastError && i.delivery !== "sending" && <span className="block text-xs text-slate-600">{i.lastError.slice(0, 160)}</span>}
                    {i.delivery === "failed" && <span className="block text-xs text-slate-600">Check the address, then resend.</span>}
                  </td>
                  <td className="whitespace-nowrap px-3 py-2 text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Resend invitation to ${i.email}`}
                      pending={resend.isPending && resend.variables?.id === i.id}
                      onClick={() => resend.mutate({ id: i.id, email: i.email })}
                    >
                      Resend
                    </Button>
                    <CopyLinkButton
                      email={i.email}
                      issue={async () => {
                        const result = await copyInvitationLinkAction({ orgId, projectId, invitationId: i.id });
                        return result.ok ? { ok: true, url: result.data.url } : { ok: false, message: result.message };
                      }}
                      onIssued={() => queryClient.invalidateQueries({ queryKey: ["project", projectId] })}
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
                      onConfirm={() => confirmed(() => revoke.mutateAsync({ id: i.id, email: i.email }), toast.error)}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && <Pager label="Pending invitations" page={page} pageSize={data.pageSize} total={data.total} onPage={setPage} />}
    </section>
  );
}
