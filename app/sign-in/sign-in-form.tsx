"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/server/action-result";
import { requestSignInLink, type SsoChoice } from "./actions";

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const [state, action, pending] = useActionState<ActionResult<SsoChoice | null> | null, FormData>(requestSignInLink, null);
  const failure = state && !state.ok ? state : null;
  const sso = state?.ok ? state.data : null;
  // Controlled, so the address stays after an answer (a form action resets uncontrolled fields):
  // "Email me a sign-in link instead" sends the same address again. A form sent before the script
  // ran comes back as a new page holding the answer (or the refusal): the field starts from the
  // address it names.
  const [email, setEmail] = useState(sso?.email ?? failure?.values?.email ?? defaultEmail ?? "");
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField
        label="Email address"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        errors={failure?.fieldErrors?.email}
      />
      {failure && !failure.fieldErrors?.email && (
        <p role="alert" className="text-sm text-red-700">
          {failure.message}
        </p>
      )}
      {sso ? (
        <div className="space-y-3">
          {sso.notice ? (
            <p role="alert" className="text-sm text-red-700">
              {sso.notice}
            </p>
          ) : (
            <p className="text-sm text-slate-700">{sso.orgName} signs you in through its identity provider.</p>
          )}
          {/* A plain link: the start route redirects to the identity provider. */}
          <a href={sso.startUrl} className="btn btn-md btn-primary w-full">
            Continue with {sso.orgName}&rsquo;s single sign-on
          </a>
          <Button type="submit" worksWithoutScript name="method" value="link" variant="ghost" pending={pending} className="w-full">
            {sso.linkAllowed ? "Email me a sign-in link instead" : "I am an Owner: email me a sign-in link"}
          </Button>
        </div>
      ) : (
        <Button type="submit" worksWithoutScript pending={pending} className="w-full">
          Send sign-in link
        </Button>
      )}
    </form>
  );
}
