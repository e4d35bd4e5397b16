import type { NextRequest } from "next/server";
import { loadSsoConnection } from "@/lib/membership/sso/load-sso-connection";
import { takeSsoAttempt, type SsoAttempt } from "@/lib/membership/sso/sso-attempts";
import { getDb } from "@/lib/server/database";
import { finishSsoSignIn, ssoFailure } from "@/lib/sso/finish";
import { samlProfile } from "@/lib/sso/saml";
import { SsoError, type SsoConnection } from "@/lib/sso/types";

export const dynamic = "force-dynamic";

/** A SAMLResponse form is a few KiB to a few hundred; anything beyond this is not read. */
const MAX_FORM_BYTES = 1024 * 1024;

/**
 * The Assertion Consumer Service (HTTP-POST binding): the identity provider's browser form posts
 * SAMLResponse and RelayState here. The RelayState names the attempt this console started; an
 * answer without one (IdP-initiated sign-in, not supported) finds no attempt and is refused as
 * "expired", like an attempt already used or older than ten minutes.
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ connectionId: string }> }): Promise<Response> {
  const { connectionId } = await params;
  let connection: SsoConnection | null = null;
  let attempt: SsoAttempt | null = null;
  try {
    const form = await readForm(request);
    const db = getDb();
    connection = await loadSsoConnection(db, connectionId);
    if (!connection || connection.kind !== "saml")
      throw new SsoError("connection_disabled", `no SAML connection ${connectionId.slice(0, 40)}`);
    const relayState = form.RelayState;
    if (!relayState) throw new SsoError("expired", "no RelayState (IdP-initiated sign-in is not supported)");
    attempt = await takeSsoAttempt(db, relayState, connection.id);
    if (!attempt) throw new SsoError("expired", "no attempt for this RelayState");
    // "Test connection" runs before the connection is switched on; a sign-in needs it on.
    if (attempt.purpose === "sign_in" && !connection.enabled) throw new SsoError("connection_disabled", "the connection is off");
    const profile = await samlProfile(db, connection, { body: form, requestId: attempt.samlRequestId });
    return await finishSsoSignIn(connection, attempt, profile);
  } catch (err) {
    return ssoFailure(err, attempt?.purpose === "test" ? connection?.orgId : undefined);
  }
}

/** The posted form's fields (the first value of each), from an urlencoded body of at most 1 MiB. */
async function readForm(request: NextRequest): Promise<Record<string, string>> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    throw new SsoError("invalid_response", "the ACS expects an application/x-www-form-urlencoded form");
  if (Number(request.headers.get("content-length") ?? 0) > MAX_FORM_BYTES) throw new SsoError("invalid_response", "form too large");
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) throw new SsoError("invalid_response", "form too large");
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) if (!Object.hasOwn(fields, key)) fields[key] = value;
  return fields;
}
