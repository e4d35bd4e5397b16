"use client";

import { ClientForm } from "@/components/ui/client-form";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { FieldError, TextField, inputClass } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import type { SamlConnectionView } from "@/lib/sso/saml-connection-view";
import { formatDate } from "@/lib/time";
import { saveSamlConnectionAction } from "../saml-actions";

export interface SamlServiceProviderValues {
  acsUrl: string;
  entityId: string;
  metadataUrl: string;
}

/** A value to paste into the identity provider, with a copy button. */
function CopyValue({ label, hint, value }: { label: string; hint: string; value: string }) {
  return (
    <div className="py-2">
      <dt className="text-sm font-medium text-slate-800">{label}</dt>
      <dd className="mt-1">
        <span className="flex flex-wrap items-center gap-2">
          <code className="min-w-0 flex-1 break-all rounded bg-slate-100 px-2 py-1 font-mono text-sm">{value}</code>
          <Button
            size="sm"
            variant="secondary"
            aria-label={`Copy ${label}`}
            onClick={() =>
              navigator.clipboard.writeText(value).then(
                () => toast.success(`${label} copied`),
                () => toast.error("Could not copy; select the value and copy it."),
              )
            }
          >
            Copy
          </Button>
        </span>
        <span className="mt-1 block text-xs text-slate-600">{hint}</span>
      </dd>
    </div>
  );
}

/**
 * The SAML 2.0 part of the single sign-on settings: the connection's name and the identity
 * provider's metadata (URL or XML); once saved, the values to paste into the identity provider
 * and what was read from its metadata.
 */
export function SamlConnectionForm({
  orgId,
  connection,
  sp,
}: {
  orgId: string;
  connection: SamlConnectionView | null;
  sp: SamlServiceProviderValues | null;
}) {
  const [source, setSource] = useState<"url" | "xml">(connection && !connection.metadataUrl ? "xml" : "url");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const save = useAction(saveSamlConnectionAction, {
    success: (saved) => (saved.enabled ? "Connection saved" : "Connection saved. Test it before switching it on."),
    onError: (refusal) => {
      setErrors(refusal.fieldErrors ?? {});
      toast.error(refusal.message);
    },
  });

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    const input =
      source === "url"
        ? { orgId, name, source, metadataUrl: String(data.get("metadataUrl") ?? "") }
        : { orgId, name, source, metadataXml: String(data.get("metadataXml") ?? "") };
    const result = await save.run(input);
    if (result.ok) setErrors({});
  }

  const xmlErrorId = "metadataXml-error";
  return (
    <section aria-labelledby="saml-heading" className="mt-6 rounded-lg border border-slate-200 p-4">
      <h2 id="saml-heading" className="text-lg font-semibold">
        SAML 2.0
      </h2>

      {sp && (
        <div className="mt-3">
          <h3 className="text-sm font-semibold text-slate-900">Paste these into your identity provider</h3>
          <dl className="divide-y divide-slate-100">
            <CopyValue label="ACS URL" hint="Okta: Single sign-on URL · Entra: Reply URL · Google: ACS URL" value={sp.acsUrl} />
            <CopyValue label="Entity ID" hint="Okta: Audience URI · Entra: Identifier · Google: Entity ID" value={sp.entityId} />
            <CopyValue label="Metadata URL" hint="For identity providers that import service provider metadata" value={sp.metadataUrl} />
          </dl>
        </div>
      )}

      {connection && (
        <div className="mt-4" data-testid="saml-idp-values">
          <h3 className="text-sm font-semibold text-slate-900">Read from the identity provider’s metadata</h3>
          <dl className="mt-2 grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium text-slate-700">IdP entity ID</dt>
            <dd className="break-all font-mono">{connection.idpEntityId}</dd>
            <dt className="font-medium text-slate-700">SSO URL</dt>
            <dd className="break-all font-mono">{connection.ssoUrl}</dd>
            {connection.certificates.map((c, i) => (
              <div key={c.fingerprintSha256} className="contents">
                <dt className="font-medium text-slate-700">Certificate{connection.certificates.length > 1 ? ` ${i + 1}` : ""}</dt>
                <dd>
                  <span className="block break-all font-mono text-xs">SHA-256 {c.fingerprintSha256}</span>
                  <span className="text-slate-600">Expires {formatDate(c.notAfter)}</span>
                </dd>
              </div>
            ))}
          </dl>
        </div>
      )}

      <ClientForm className="mt-4 space-y-4" onSubmit={submit}>
        <TextField
          label="Name"
          name="name"
          required
          maxLength={80}
          defaultValue={connection?.name ?? ""}
          errors={errors.name}
          placeholder="Acme Okta"
          hint="People see it on the sign-in page: “Continue with … single sign-on”."
        />
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Identity provider metadata</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="source" value="url" checked={source === "url"} onChange={() => setSource("url")} />
              Metadata URL
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" name="source" value="xml" checked={source === "xml"} onChange={() => setSource("xml")} />
              Metadata XML
            </label>
          </div>
        </fieldset>
        {source === "url" ? (
          <TextField
            label="Metadata URL"
            name="metadataUrl"
            type="url"
            required
            inputMode="url"
            defaultValue={connection?.metadataUrl ?? ""}
            errors={errors.metadataUrl}
            placeholder="https://acme.okta.com/app/…/sso/saml/metadata"
          />
        ) : (
          <div>
            <label htmlFor="metadataXml" className="mb-1 block text-sm font-medium text-slate-800">
              Metadata XML
            </label>
            <textarea
              id="metadataXml"
              name="metadataXml"
              required
              rows={8}
              spellCheck={false}
              className={`${inputClass} font-mono text-xs`}
              aria-invalid={errors.metadataXml?.length ? true : undefined}
              aria-describedby={errors.metadataXml?.length ? xmlErrorId : undefined}
              placeholder={'<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" …'}
            />
            <FieldError id={xmlErrorId} messages={errors.metadataXml} />
          </div>
        )}
        {connection && (
          <p className="text-sm text-slate-600">
            A new identity provider, address or certificate switches the connection off until it is tested again.
          </p>
        )}
        <Button type="submit" pending={save.isPending}>
          Save connection
        </Button>
      </ClientForm>
    </section>
  );
}
