"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/server/action-result";
import { createProjectAction } from "../actions";

export function NewProjectForm({ orgId }: { orgId: string }) {
  const [state, action, pending] = useActionState<ActionResult<{ id: string }> | null, FormData>(createProjectAction, null);
  const failure = state && !state.ok ? state : null;
  return (
    <form
      action={action}
      className="mt-8 max-w-md space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="new-project-heading"
    >
      <h2 id="new-project-heading" className="font-semibold">
        New project
      </h2>
      <input type="hidden" name="orgId" value={orgId} />
      <TextField
        label="Project name"
        name="name"
        required
        maxLength={80}
        defaultValue={failure?.values?.name}
        errors={failure?.fieldErrors?.name}
        hint="You become its Project Admin."
      />
      {failure && !failure.fieldErrors?.name && (
        <p role="alert" className="text-sm text-red-700">
          {failure.message}
        </p>
      )}
      <Button type="submit" worksWithoutScript pending={pending}>
        Create project
      </Button>
    </form>
  );
}
