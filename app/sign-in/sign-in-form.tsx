"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/server/action-result";
import { requestSignInLink } from "./actions";

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail?: string }) {
  const [state, action, pending] = useActionState<ActionResult<null> | null, FormData>(requestSignInLink, null);
  const failure = state && !state.ok ? state : null;
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <TextField
        label="Email address"
        name="email"
        type="email"
        autoComplete="email"
        required
        defaultValue={defaultEmail}
        errors={failure?.fieldErrors?.email}
      />
      {failure && !failure.fieldErrors?.email && (
        <p role="alert" className="text-sm text-red-700">
          {failure.message}
        </p>
      )}
      <Button type="submit" pending={pending} className="w-full">
        Send sign-in link
      </Button>
    </form>
  );
}
