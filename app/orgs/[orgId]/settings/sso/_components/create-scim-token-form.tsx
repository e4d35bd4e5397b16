"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { createScimTokenAction } from "../scim-actions";

/** "Create SCIM token": a name, then the token shown once with a copy button. */
export function CreateScimTokenForm({ orgId }: { orgId: string }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const create = useAction(createScimTokenAction, {
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      toast.error(refusal.message);
    },
  });

  async function submit(form: HTMLFormElement) {
    const name = String(new FormData(form).get("scimTokenName") ?? "");
    const result = await create.run({ orgId, name });
    if (!result.ok) return;
    setErrors({});
    form.reset();
    setCreated({ token: result.data.token, name: name.trim() });
  }

  return (
    <div className="mt-4">
      {created && (
        <div role="status" className="mb-3 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm">
          <p className="font-medium">
            Copy the SCIM token “<bdi>{created.name}</bdi>” now: it is shown only this once.
          </p>
          <code data-testid="scim-token-secret" className="mt-2 block break-all rounded bg-white p-2 font-mono">
            {created.token}
          </code>
          <div className="mt-2 flex gap-2">
            <Button
              size="sm"
              variant="secondary"
              onClick={() =>
                navigator.clipboard.writeText(created.token).then(
                  () => toast.success("Token copied"),
                  () => toast.error("Could not copy; select the token and copy it."),
                )
              }
            >
              Copy token
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setCreated(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
      >
        <div className="min-w-64 flex-1">
          {/* Not "name": the connection form on this page has a field of that name (ids come from names). */}
          <TextField label="Token name" name="scimTokenName" required maxLength={80} errors={errors.name} placeholder="Okta" />
        </div>
        <Button type="submit" pending={create.isPending}>
          Create SCIM token
        </Button>
      </form>
    </div>
  );
}
