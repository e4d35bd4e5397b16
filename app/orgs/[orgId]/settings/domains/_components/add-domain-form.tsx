"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { claimDomainAction } from "../actions";

/** The "Domain" field and "Add domain": the new domain appears in the list with the record to add. */
export function AddDomainForm({ orgId }: { orgId: string }) {
  const [errors, setErrors] = useState<string[] | undefined>();
  const claim = useAction(claimDomainAction, {
    success: (d) => `${d.domain} was added: add its TXT record, then check it`,
    onError: (refusal) => setErrors(refusal.fieldErrors?.domain ?? [refusal.message]),
  });

  async function submit(form: HTMLFormElement) {
    const domain = String(new FormData(form).get("domain") ?? "");
    const result = await claim.run({ orgId, domain });
    if (!result.ok) return;
    setErrors(undefined);
    form.reset();
  }

  return (
    <section aria-labelledby="add-domain-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
      <h2 id="add-domain-heading" className="text-lg font-semibold">
        Add a domain
      </h2>
      <ClientForm className="mt-3 flex flex-col gap-3 sm:flex-row sm:items-start" onSubmit={submit}>
        <div className="sm:w-80">
          <TextField label="Domain" name="domain" required maxLength={300} placeholder="acme.com" autoComplete="off" errors={errors} />
        </div>
        <Button type="submit" pending={claim.isPending} className="sm:mt-6">
          Add domain
        </Button>
      </ClientForm>
    </section>
  );
}
