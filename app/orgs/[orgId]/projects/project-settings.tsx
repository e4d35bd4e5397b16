"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { ModalFrame } from "@/components/ui/modal-frame";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { deleteProjectAction, renameProjectAction } from "../actions";
import { NETWORK_ERROR } from "@/components/sentences";

type Mode = "rename" | "delete";

/** An owner's rename and delete buttons for one project; delete is confirmed by typing its name. */
export function ProjectSettings({ orgId, project }: { orgId: string; project: { id: string; name: string; isDefault: boolean } }) {
  return (
    <div className="mt-2 flex flex-wrap gap-2">
      <ProjectDialog mode="rename" orgId={orgId} project={project} />
      {!project.isDefault && <ProjectDialog mode="delete" orgId={orgId} project={project} />}
    </div>
  );
}

function ProjectDialog({ mode, orgId, project }: { mode: Mode; orgId: string; project: { id: string; name: string } }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<string[] | undefined>();
  // Field ids must not clash with the "New project" form's "name" on the same page.
  const field = mode === "rename" ? "newName" : "confirmName";
  async function submit(formData: FormData) {
    setPending(true);
    setErrors(undefined);
    try {
      const value = String(formData.get(field) ?? "");
      const result =
        mode === "rename"
          ? await renameProjectAction({ orgId, projectId: project.id, name: value }).catch(() => null)
          : await deleteProjectAction({ orgId, projectId: project.id, confirmName: value }).catch(() => null);
      if (!result) return void toast.error(NETWORK_ERROR);
      if (!result.ok) return void setErrors([result.message]);
      toast.success(
        mode === "rename" ? (
          <>
            Project renamed to <bdi>{value.trim()}</bdi>
          </>
        ) : (
          <>
            <bdi>{project.name}</bdi> was deleted
          </>
        ),
      );
      setOpen(false);
      router.refresh();
    } finally {
      setPending(false);
    }
  }
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <Dialog.Trigger asChild>
        <Button variant={mode === "delete" ? "ghost" : "secondary"} size="sm" aria-label={`${mode === "rename" ? "Rename" : "Delete"} ${project.name}`}>
          {mode === "rename" ? "Rename" : "Delete"}
        </Button>
      </Dialog.Trigger>
      <ModalFrame>
        <Dialog.Title className="break-words text-lg font-semibold">
          {mode === "rename" ? "Rename" : "Delete"} <bdi>{project.name}</bdi>
          {mode === "delete" && "?"}
        </Dialog.Title>
        <Dialog.Description className="mt-2 text-sm text-slate-700">
          {mode === "rename"
            ? "Collaborators see the new name at once."
            : "Its collaborators lose access and its pending invitations are revoked. This cannot be undone. Type the project's name to confirm."}
        </Dialog.Description>
        <form action={submit} className="mt-4 space-y-4">
          <TextField
            label={mode === "rename" ? "Project name" : "Type the project name"}
            name={field}
            required
            maxLength={mode === "rename" ? 80 : 200}
            defaultValue={mode === "rename" ? project.name : ""}
            autoComplete="off"
            errors={errors}
          />
          <div className="flex justify-end gap-2">
            <Dialog.Close asChild>
              <Button variant="secondary" disabled={pending}>
                Cancel
              </Button>
            </Dialog.Close>
            <Button type="submit" variant={mode === "delete" ? "danger" : "primary"} pending={pending}>
              {mode === "rename" ? "Rename project" : "Delete project"}
            </Button>
          </div>
        </form>
      </ModalFrame>
    </Dialog.Root>
  );
}
