import { NextResponse, type NextRequest } from "next/server";
import { randomNonce, randomPKCECodeVerifier } from "openid-client";
import { getActor, safeCallbackPath } from "@/lib/auth/session";
import { loadSsoConnection } from "@/lib/membership/sso/load-sso-connection";
import { beginSsoAttempt, newSsoState, SSO_ATTEMPT_TTL_MS } from "@/lib/membership/sso/sso-attempts";
import { ssoFailure } from "@/lib/sso/finish";
import { oidcAuthorizationUrl } from "@/lib/sso/oidc";
import { samlAuthorizationUrl } from "@/lib/sso/saml";
import { SSO_STATE_COOKIE, SsoError } from "@/lib/sso/types";
import { getEnv } from "@/lib/env";
import { getDb } from "@/lib/server/database";
import { canOnOrg } from "@/lib/membership/permissions";
import { orgRoleOf } from "@/lib/membership/sso/org-role-of";

/**
 * Begins a sign-in through an organization's connection: "sign_in" (home-realm discovery sends
 * people here) needs the connection switched on; "test" needs an Owner of the organization signed
 * in, and works before the connection is switched on. The attempt is remembered in the database
 * under a random state (single use, ten minutes); for OpenID Connect the browser also gets that
 * state in a cookie, so an answer only counts in the browser that asked.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ connectionId: string }> }) {
  const { connectionId } = await params;
  const db = getDb();
  const connection = await loadSsoConnection(db, connectionId);
  if (!connection) return NextResponse.json({ error: "not_found" }, { status: 404 });
  const purpose = request.nextUrl.searchParams.get("purpose") === "test" ? "test" : "sign_in";
  const callbackPath = safeCallbackPath(request.nextUrl.searchParams.get("callbackUrl"));
  let startedById: string | null = null;
  try {
    if (purpose === "test") {
      const actor = await getActor();
      if (!actor || !canOnOrg(await orgRoleOf(db, connection.orgId, actor.id), "org.sso.manage"))
        return NextResponse.json({ error: "forbidden" }, { status: 403 });
      startedById = actor.id;
    } else if (!connection.enabled) {
      throw new SsoError("connection_disabled", "sign-in started on a connection that is off");
    }
    const state = newSsoState();
    let url: URL;
    if (connection.kind === "oidc") {
      const codeVerifier = randomPKCECodeVerifier();
      const nonce = randomNonce();
      url = await oidcAuthorizationUrl(connection, { state, nonce, codeVerifier });
      await beginSsoAttempt(db, state, { connectionId, purpose, callbackPath, startedById, codeVerifier, nonce });
    } else {
      const request = await samlAuthorizationUrl(connection, { relayState: state });
      url = request.url;
      await beginSsoAttempt(db, state, { connectionId, purpose, callbackPath, startedById, samlRequestId: request.requestId });
    }
    const answer = NextResponse.redirect(url, 303);
    if (connection.kind === "oidc")
      answer.cookies.set(SSO_STATE_COOKIE, state, {
        httpOnly: true,
        sameSite: "lax",
        secure: new URL(getEnv().APP_URL).protocol === "https:",
        path: "/api/sso",
        maxAge: SSO_ATTEMPT_TTL_MS / 1000,
      });
    return answer;
  } catch (err) {
    return ssoFailure(err, purpose === "test" ? connection.orgId : undefined);
  }
}
