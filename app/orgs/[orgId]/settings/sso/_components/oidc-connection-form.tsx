"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { saveOidcConnectionAction } from "../actions";

export interface OidcConnectionFormProps {
  orgId: string;
  connection: { name: string; issuer: string | null; clientId: string | null; hasSecret: boolean } | null;
  redirectUri: string | null;
}

/** The OpenID Connect values: the issuer, the client ID and secret, and the redirect URI to paste into the provider. */
export function OidcConnectionForm({ orgId, connection, redirectUri }: OidcConnectionFormProps) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const save = useAction(saveOidcConnectionAction, {
    success: () => "Connection saved. Test it before switching it on.",
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      toast.error(refusal.message);
    },
  });
  const hasSecret = connection?.hasSecret ?? false;

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const value = (name: string) => String(data.get(name) ?? "");
    const result = await save.run({
      orgId,
      name: value("name"),
      issuer: value("issuer"),
      clientId: value("clientId"),
      clientSecret: value("clientSecret") || null,
    });
    if (!result.ok) return;
    setErrors({});
    // The secret does not stay in the page once it is stored.
    const secretField = form.elements.namedItem("clientSecret");
    if (secretField instanceof HTMLInputElement) secretField.value = "";
  }

  return (
    <ClientForm aria-label="OpenID Connect" className="mt-4 space-y-4" onSubmit={submit}>
      <TextField
        label="Name"
        name="name"
        required
        maxLength={80}
        defaultValue={connection?.name ?? ""}
        placeholder="Acme Okta"
        errors={errors.name}
        hint="People see it on the sign-in page: “Continue with …”."
      />
      <TextField
        label="Issuer URL"
        name="issuer"
        type="url"
        required
        maxLength={500}
        inputMode="url"
        spellCheck={false}
        autoComplete="off"
        defaultValue={connection?.issuer ?? ""}
        placeholder="https://acme.okta.com"
        errors={errors.issuer}
        hint="We read the provider's settings from its discovery document when you save."
      />
      <TextField
        label="Client ID"
        name="clientId"
        required
        maxLength={255}
        spellCheck={false}
        autoComplete="off"
        defaultValue={connection?.clientId ?? ""}
        errors={errors.clientId}
      />
      <TextField
        label="Client secret"
        name="clientSecret"
        type="password"
        required={!hasSecret}
        maxLength={1000}
        autoComplete="new-password"
        placeholder={hasSecret ? "Stored: leave blank to keep it" : ""}
        errors={errors.clientSecret}
        hint={
          hasSecret ? "The stored secret is never shown again. Type a new one to replace it." : "Stored encrypted and never shown again."
        }
      />
      <RedirectUri value={redirectUri} />
      <Button type="submit" pending={save.isPending}>
        Save connection
      </Button>
    </ClientForm>
  );
}

function RedirectUri({ value }: { value: string | null }) {
  return (
    <div>
      <p id="oidc-redirect-label" className="mb-1 text-sm font-medium text-slate-800">
        Redirect URI
      </p>
      {value ? (
        <>
          <div className="flex flex-wrap items-center gap-2">
            <code
              aria-labelledby="oidc-redirect-label"
              data-testid="oidc-redirect-uri"
              className="min-w-0 break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm"
            >
              {value}
            </code>
            <Button
              size="sm"
              variant="secondary"
              onClick={() =>
                navigator.clipboard.writeText(value).then(
                  () => toast.success("Redirect URI copied"),
                  () => toast.error("Could not copy; select the address and copy it."),
                )
              }
            >
              Copy redirect URI
            </Button>
          </div>
          <p className="mt-1 text-sm text-slate-600">
            Paste it into your identity provider as the sign-in redirect URI of the application.
          </p>
        </>
      ) : (
        <p className="text-sm text-slate-600">
          The redirect URI to paste into your identity provider appears here once the connection is saved.
        </p>
      )}
    </div>
  );
}
