"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { ModalFrame } from "@/components/ui/modal-frame";
import { useState } from "react";
import { toast } from "sonner";
import { useAction } from "@/components/ui/use-action";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { deleteProjectAction, renameProjectAction } from "../actions";

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
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<string[] | undefined>();
  // Field ids must not clash with the "New project" form's "name" on the same page.
  const field = mode === "rename" ? "newName" : "confirmName";
  // A refusal is said under the field, a lost connection in a toast; the dialog stays open.
  const onError = (refusal: { message: string; code?: string }) =>
    refusal.code === "NETWORK" ? toast.error(refusal.message) : setErrors([refusal.message]);
  const close = () => setOpen(false);
  const rename = useAction((name: string) => renameProjectAction({ orgId, projectId: project.id, name }), {
    success: (_d, name) => (
      <>
        Project renamed to <bdi>{name.trim()}</bdi>
      </>
    ),
    onSuccess: close,
    onError,
  });
  const remove = useAction(deleteProjectAction, {
    success: () => (
      <>
        <bdi>{project.name}</bdi> was deleted
      </>
    ),
    onSuccess: close,
    onError,
  });
  const pending = rename.isPending || remove.isPending;
  async function submit(formData: FormData) {
    setErrors(undefined);
    const value = String(formData.get(field) ?? "");
    if (mode === "rename") await rename.run(value);
    else await remove.run({ orgId, projectId: project.id, confirmName: value });
  }
  return (
    <Dialog.Root open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <Dialog.Trigger asChild>
        <Button
          variant={mode === "delete" ? "ghost" : "secondary"}
          size="sm"
          aria-label={`${mode === "rename" ? "Rename" : "Delete"} ${project.name}`}
        >
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
