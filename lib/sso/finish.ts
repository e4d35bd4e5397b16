import "server-only";
import { NextResponse } from "next/server";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { completeSsoSignIn } from "@/lib/membership/sso/complete-sso-sign-in";
import type { SsoAttempt } from "@/lib/membership/sso/sso-attempts";
import { getEnv } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { getDb } from "@/lib/server/database";
import { SSO_STATE_COOKIE, SsoError, type SsoConnection, type SsoProfile } from "./types";

/** The state cookie is set on /api/sso (lib/sso/start): cleared there once the attempt is over. */
const forgetState = (answer: NextResponse) => answer.cookies.set(SSO_STATE_COOKIE, "", { path: "/api/sso", maxAge: 0 });

const secure = () => new URL(getEnv().APP_URL).protocol === "https:";
const at = (path: string) => new URL(path, getEnv().APP_URL);

/**
 * The end of a sign-in through SSO once the protocol module has checked the provider's answer:
 * the rules of completeSsoSignIn, then the Auth.js session cookie and a redirect to where the
 * person was going ("Test connection" goes back to the settings page, its session unchanged).
 */
export async function finishSsoSignIn(connection: SsoConnection, attempt: SsoAttempt, profile: SsoProfile): Promise<Response> {
  try {
    const outcome = await completeSsoSignIn(getDb(), { attempt, profile });
    if (outcome.kind === "tested") {
      const answer = NextResponse.redirect(at(`/orgs/${outcome.orgId}/settings/sso?tested=1`), 303);
      forgetState(answer);
      return answer;
    }
    const answer = NextResponse.redirect(at(attempt.callbackPath), 303);
    answer.cookies.set(sessionCookieName(), outcome.sessionToken, {
      httpOnly: true,
      sameSite: "lax",
      secure: secure(),
      path: "/",
      expires: outcome.expires,
    });
    forgetState(answer);
    console.info(
      `[sso] ${connection.kind} sign-in through connection ${connection.id}${outcome.joined ? " (joined the organization)" : ""}`,
    );
    return answer;
  } catch (err) {
    return ssoFailure(err, attempt.purpose === "test" ? connection.orgId : undefined);
  }
}

/**
 * Any failure of a sign-in through SSO: logged (the reason and a short detail, never a token or an
 * assertion), and the person is sent to /sign-in/error with the reason, which it says in words.
 */
export function ssoFailure(err: unknown, testOrgId?: string): Response {
  const reason = err instanceof SsoError ? err.reason : "provider_error";
  console.warn(`[sso] sign-in refused: ${err instanceof SsoError ? err.message : errorText(err)}`);
  const target = testOrgId ? `/orgs/${testOrgId}/settings/sso?failed=${reason}` : `/sign-in/error?error=SSO&reason=${reason}`;
  const answer = NextResponse.redirect(at(target), 303);
  forgetState(answer);
  return answer;
}
