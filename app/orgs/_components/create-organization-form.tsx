"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/server/action-result";
import { createOrganizationAction } from "../actions";

/** The form that starts an organization; its heading depends on whether this is the first one. */
export function CreateOrganizationForm({ heading }: { heading: string }) {
  const [state, action, pending] = useActionState<ActionResult<{ orgId: string; projectId: string }> | null, FormData>(
    createOrganizationAction,
    null,
  );
  const failure = state && !state.ok ? state : null;
  return (
    <form
      action={action}
      className="mt-6 max-w-md space-y-3 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="new-org-heading"
    >
      <h2 id="new-org-heading" className="text-lg font-semibold">
        {heading}
      </h2>
      <TextField
        label="Organization name"
        name="name"
        required
        maxLength={80}
        defaultValue={failure?.values?.name}
        errors={failure?.fieldErrors?.name}
        hint="You become its Organization Owner; it starts with a Default Project."
      />
      {failure && !failure.fieldErrors?.name && (
        <p role="alert" className="text-sm text-red-700">
          {failure.message}
        </p>
      )}
      <Button type="submit" worksWithoutScript pending={pending}>
        Create organization
      </Button>
    </form>
  );
}
