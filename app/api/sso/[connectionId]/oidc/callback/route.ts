import { timingSafeEqual } from "node:crypto";
import type { NextRequest } from "next/server";
import { loadSsoConnection } from "@/lib/membership/sso/load-sso-connection";
import { takeSsoAttempt, type SsoAttempt } from "@/lib/membership/sso/sso-attempts";
import { finishSsoSignIn, ssoFailure } from "@/lib/sso/finish";
import { oidcProfile } from "@/lib/sso/oidc";
import { SSO_STATE_COOKIE, SsoError, type SsoConnection } from "@/lib/sso/types";
import { getDb } from "@/lib/server/database";

export const dynamic = "force-dynamic";

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Where the identity provider sends the browser back (the redirect URI). The answer must come to
 * the browser that started (its state cookie), for an attempt still waiting (taken once), on a
 * connection still there; then openid-client checks the answer and finishSsoSignIn signs in.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ connectionId: string }> }): Promise<Response> {
  const { connectionId } = await params;
  const url = new URL(request.url);
  const state = url.searchParams.get("state") ?? "";
  let connection: SsoConnection | null = null;
  let attempt: SsoAttempt | null = null;
  try {
    const db = getDb();
    connection = await loadSsoConnection(db, connectionId);
    if (!connection || connection.kind !== "oidc")
      throw new SsoError("connection_disabled", `no OpenID Connect connection ${connectionId}`);
    // Checked before the attempt is taken: an answer forged into someone else's browser (login CSRF)
    // carries no cookie, and must not use up the real attempt either.
    const cookie = request.cookies.get(SSO_STATE_COOKIE)?.value ?? "";
    if (!state || !cookie || !sameText(cookie, state)) throw new SsoError("expired", "the state cookie is missing or is another attempt's");
    attempt = await takeSsoAttempt(db, state, connection.id);
    if (!attempt) throw new SsoError("expired", "no attempt for this state");
    if (attempt.purpose === "sign_in" && !connection.enabled) throw new SsoError("connection_disabled", "the connection is switched off");
    const error = url.searchParams.get("error");
    if (error) throw new SsoError("provider_error", `the provider answered ${error.slice(0, 100)}`);
    if (!attempt.nonce || !attempt.codeVerifier) throw new SsoError("invalid_response", "the attempt has no nonce or PKCE verifier");
    const profile = await oidcProfile(connection, { currentUrl: url, state, nonce: attempt.nonce, codeVerifier: attempt.codeVerifier });
    return await finishSsoSignIn(connection, attempt, profile);
  } catch (err) {
    // A failed "Test connection" goes back to the settings page, which says why.
    return ssoFailure(err, attempt?.purpose === "test" ? connection?.orgId : undefined);
  }
}
