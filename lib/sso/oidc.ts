import "server-only";
import * as client from "openid-client";
import { openLink, sealContext, sealLink } from "@/lib/email/sealed";
import { allowsHttpIssuer } from "@/lib/env";
import { errorText } from "@/lib/error-text";
import { emailProblem, normalizeEmail } from "@/lib/membership/email-list";
import { nameProblem } from "@/lib/membership/names";
import { discoverIssuer, OIDC_TIMEOUT_SECONDS, type OidcDiscovery } from "./oidc-discovery";
import { SsoError, type SsoConnection, type SsoProfile } from "./types";
import { ssoUrls } from "./urls";

/** What we ask the identity provider for: who (sub), the address, and a display name. */
export const OIDC_SCOPE = "openid email profile";

const DISCOVERY_TTL_MS = 5 * 60 * 1000;
const MAX_CACHED = 500;

// Keyed by connection id and updatedAt: saving new settings changes the key, so nothing stale is used.
const discoveries = new Map<string, { expiresAt: number; value: Promise<OidcDiscovery> }>();

const secretContext = (connectionId: string) => sealContext("sso-oidc-secret", connectionId);

/** The client secret as stored: sealed with the app secret, bound to its connection. */
export function sealOidcClientSecret(secret: string, connectionId: string): string {
  return sealLink(secret, secretContext(connectionId));
}

function openClientSecret(connection: SsoConnection): string {
  if (!connection.oidcClientSecretSealed) throw new SsoError("provider_error", "the connection has no client secret");
  try {
    return openLink(connection.oidcClientSecretSealed, secretContext(connection.id));
  } catch {
    throw new SsoError("provider_error", "the client secret cannot be opened (another AUTH_SECRET, or the row was changed)");
  }
}

function settingsOf(connection: SsoConnection): { issuer: string; clientId: string } {
  if (connection.kind !== "oidc" || !connection.oidcIssuer || !connection.oidcClientId)
    throw new SsoError("provider_error", `connection ${connection.id} has no OpenID Connect settings`);
  return { issuer: connection.oidcIssuer, clientId: connection.oidcClientId };
}

/** The issuer's discovery for a connection, kept a few minutes; a failure is not kept. */
async function discoveryFor(connection: SsoConnection): Promise<OidcDiscovery> {
  const { issuer, clientId } = settingsOf(connection);
  const key = `${connection.id}|${connection.updatedAt.getTime()}|${issuer}`;
  const now = Date.now();
  const cached = discoveries.get(key);
  if (cached && cached.expiresAt > now) return cached.value;
  const value = discoverIssuer(issuer, clientId).then((r) => {
    if (!r.ok) throw new SsoError("provider_error", `discovery of ${issuer} failed: ${r.log}`);
    return r.discovery;
  });
  discoveries.delete(key);
  discoveries.set(key, { expiresAt: now + DISCOVERY_TTL_MS, value });
  for (const [k, entry] of discoveries)
    if (discoveries.size > MAX_CACHED || entry.expiresAt <= now) discoveries.delete(k);
    else break;
  value.catch(() => {
    if (discoveries.get(key)?.value === value) discoveries.delete(key);
  });
  return value;
}

/** A client configuration from a discovery; with the secret only when the token endpoint is called. */
function configure(discovery: OidcDiscovery, clientId: string, secret?: string): client.Configuration {
  const auth =
    secret === undefined
      ? client.None()
      : discovery.tokenAuth === "client_secret_post"
        ? client.ClientSecretPost(secret)
        : client.ClientSecretBasic(secret);
  const config = new client.Configuration(discovery.metadata, clientId, undefined, auth);
  config.timeout = OIDC_TIMEOUT_SECONDS;
  if (allowsHttpIssuer()) client.allowInsecureRequests(config);
  // Without it the library trusts the TLS channel to the token endpoint and skips the ID token's
  // signature (OIDC Core 3.1.3.7 allows that); we check it, so a tampered or relayed answer fails.
  client.enableNonRepudiationChecks(config);
  // The issuer's keys, kept with the discovery (the library fetches them again for a key id it does not know).
  if (discovery.jwks) client.setJwksCache(config, discovery.jwks);
  return config;
}

/** Where the browser goes to sign in: authorization code flow with PKCE (S256), state and nonce. */
export async function oidcAuthorizationUrl(
  connection: SsoConnection,
  p: { state: string; nonce: string; codeVerifier: string },
): Promise<URL> {
  const { clientId } = settingsOf(connection);
  const config = configure(await discoveryFor(connection), clientId);
  return client.buildAuthorizationUrl(config, {
    redirect_uri: ssoUrls(connection.id).oidcRedirectUri,
    response_type: "code",
    scope: OIDC_SCOPE,
    state: p.state,
    nonce: p.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(p.codeVerifier),
    code_challenge_method: "S256",
  });
}

// Failures of reaching the provider, as opposed to an answer that failed a check.
const UNREACHABLE = new Set(["OAUTH_RESPONSE_IS_NOT_CONFORM", "OAUTH_RESPONSE_IS_NOT_JSON", "OAUTH_HTTP_REQUEST_FORBIDDEN"]);

function refusal(err: unknown, step: string): SsoError {
  if (err instanceof SsoError) return err;
  if (err instanceof client.AuthorizationResponseError)
    return new SsoError("provider_error", `${step}: the provider answered ${err.error}`);
  if (err instanceof client.ResponseBodyError)
    // invalid_grant: the code is unknown, used, for another client or redirect URI, or the PKCE verifier is wrong.
    return new SsoError(err.error === "invalid_grant" ? "invalid_response" : "provider_error", `${step}: ${err.status} ${err.error}`);
  if (err instanceof client.ClientError) {
    // The library's own sentence (which claim, which check) is on the cause.
    const detail = err.cause instanceof Error ? err.cause.message : err.message;
    return new SsoError(UNREACHABLE.has(err.code ?? "") ? "provider_error" : "invalid_response", `${step}: ${err.code} ${detail}`);
  }
  return new SsoError("provider_error", `${step}: ${errorText(err)}`);
}

const text = (v: unknown) => (typeof v === "string" ? v : undefined);

/**
 * The person the provider's answer names. openid-client checks state, exchanges the code with the
 * PKCE verifier and the client secret, and verifies the ID token (signature by the issuer's keys,
 * iss, aud = our client id, exp, nonce). The address comes from the ID token, or else from the
 * userinfo endpoint (whose `sub` the library checks against the ID token's); an address the
 * provider marks unverified is refused as missing.
 */
export async function oidcProfile(
  connection: SsoConnection,
  p: { currentUrl: URL; state: string; nonce: string; codeVerifier: string },
): Promise<SsoProfile> {
  const { clientId } = settingsOf(connection);
  const providerError = p.currentUrl.searchParams.get("error");
  if (providerError) throw new SsoError("provider_error", `the provider answered ${providerError.slice(0, 100)}`);
  // Without them the library would skip the nonce or PKCE check rather than fail it.
  if (!p.state || !p.nonce || !p.codeVerifier) throw new SsoError("invalid_response", "the attempt has no state, nonce or PKCE verifier");
  const discovery = await discoveryFor(connection);
  const config = configure(discovery, clientId, openClientSecret(connection));
  // The redirect URI sent to the token endpoint must be the registered one, whatever host the request came through.
  const callback = new URL(ssoUrls(connection.id).oidcRedirectUri);
  callback.search = p.currentUrl.search;
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callback, {
      expectedState: p.state,
      expectedNonce: p.nonce,
      pkceCodeVerifier: p.codeVerifier,
      idTokenExpected: true,
    });
  } catch (err) {
    throw refusal(err, "code exchange");
  }
  discovery.jwks = client.getJwksCache(config) ?? discovery.jwks;
  const claims = tokens.claims();
  if (!claims) throw new SsoError("invalid_response", "no ID token");
  let source: Record<string, unknown> = claims;
  if (!text(claims.email) && tokens.access_token && discovery.metadata.userinfo_endpoint) {
    try {
      source = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    } catch (err) {
      throw refusal(err, "userinfo");
    }
  }
  const raw = text(source.email);
  if (!raw) throw new SsoError("email_missing", "neither the ID token nor userinfo has an email claim");
  if (source.email_verified === false || source.email_verified === "false")
    throw new SsoError("email_missing", "the provider says the address is not verified (email_verified false)");
  const email = normalizeEmail(raw);
  const problem = emailProblem(email);
  if (problem) throw new SsoError("email_missing", `the email claim is not an address: ${problem}`);
  const name = text(source.name ?? claims.name)
    ?.trim()
    .replace(/ {2,}/g, " ");
  return { subject: claims.sub, email, name: name && !nameProblem(name, "display") ? name : null };
}
