"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
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
        <SecretShownOnce
          what="SCIM token"
          noun="token"
          name={created.name}
          secret={created.token}
          testId="scim-token-secret"
          className="mb-3"
          onDone={() => setCreated(null)}
        />
      )}
      <ClientForm className="flex flex-wrap items-end gap-3" onSubmit={submit}>
        <div className="min-w-64 flex-1">
          {/* Not "name": the connection form on this page has a field of that name (ids come from names). */}
          <TextField label="Token name" name="scimTokenName" required maxLength={80} errors={errors.name} placeholder="Okta" />
        </div>
        <Button type="submit" pending={create.isPending}>
          Create SCIM token
        </Button>
      </ClientForm>
    </div>
  );
}
