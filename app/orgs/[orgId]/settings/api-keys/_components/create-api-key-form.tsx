"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { useAction } from "@/components/ui/use-action";
import { Button } from "@/components/ui/button";
import { FieldError, TextField, inputClass } from "@/components/ui/field";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { createApiKeyAction } from "../actions";

type Role = "admin" | "read_only";

/** Name, what the key may do, optional expiry; the secret is shown once after creation. */
export function CreateApiKeyForm({ orgId, projects }: { orgId: string; projects: { id: string; name: string }[] }) {
  const [scope, setScope] = useState<"organization" | "projects">("projects");
  const [chosen, setChosen] = useState<Record<string, Role | undefined>>({});
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<{ secret: string; name: string } | null>(null);
  const create = useAction(createApiKeyAction, {
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      toast.error(refusal.message);
    },
  });
  const pending = create.isPending;

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    const expiresOn = String(data.get("expiresOn") ?? "") || null;
    const grants = Object.entries(chosen).flatMap(([projectId, role]) => (role ? [{ projectId, role }] : []));
    const result = await create.run({ orgId, name, scope, projects: scope === "projects" ? grants : [], expiresOn });
    if (!result.ok) return;
    setErrors({});
    setChosen({});
    form.reset();
    setCreated({ secret: result.data.secret, name: name.trim() });
  }

  return (
    <section aria-labelledby="create-key-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
      <h2 id="create-key-heading" className="text-lg font-semibold">
        Create a key
      </h2>
      {created && (
        <SecretShownOnce
          what="key"
          noun="key"
          name={created.name}
          secret={created.secret}
          testId="api-key-secret"
          onDone={() => setCreated(null)}
        />
      )}
      <ClientForm className="mt-3 space-y-4" onSubmit={submit}>
        <TextField label="Name" name="name" required maxLength={80} errors={errors.name} placeholder="Nightly export" />
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">What the key may do</legend>
          <label className="mt-2 flex items-center gap-2 text-sm">
            <input type="radio" name="scope" value="projects" checked={scope === "projects"} onChange={() => setScope("projects")} />
            Chosen projects only
          </label>
          <label className="mt-1 flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="scope"
              value="organization"
              checked={scope === "organization"}
              onChange={() => setScope("organization")}
            />
            Everything an Organization Owner may do
          </label>
        </fieldset>
        {scope === "projects" && (
          <fieldset aria-describedby={errors.projects?.length ? "projects-error" : undefined}>
            <legend className="text-sm font-medium text-slate-800">Projects</legend>
            <ul className="mt-2 space-y-2">
              {projects.map((p) => (
                <li key={p.id} className="flex flex-wrap items-center gap-3 text-sm">
                  <label htmlFor={`key-project-${p.id}`} className="min-w-40">
                    <bdi>{p.name}</bdi>
                  </label>
                  <select
                    id={`key-project-${p.id}`}
                    className={`${inputClass} w-auto`}
                    value={chosen[p.id] ?? ""}
                    onChange={(e) => setChosen((c) => ({ ...c, [p.id]: (e.target.value || undefined) as Role | undefined }))}
                  >
                    <option value="">No access</option>
                    <option value="read_only">Project Read-Only</option>
                    <option value="admin">Project Admin</option>
                  </select>
                </li>
              ))}
            </ul>
            <FieldError id="projects-error" messages={errors.projects} />
          </fieldset>
        )}
        <TextField
          label="Expires on (optional)"
          name="expiresOn"
          type="date"
          errors={errors.expiresAt ?? errors.expiresOn}
          hint="The key stops working at the end of that day (UTC)."
        />
        <Button type="submit" pending={pending}>
          Create API key
        </Button>
      </ClientForm>
    </section>
  );
}
