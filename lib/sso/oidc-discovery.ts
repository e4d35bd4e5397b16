import "server-only";
import * as client from "openid-client";
import { allowsHttpIssuer } from "@/lib/env";
import { errorText } from "@/lib/error-text";

/** Seconds we wait for the identity provider on any one request (discovery, token, keys, userinfo). */
export const OIDC_TIMEOUT_SECONDS = 10;

/** How the client secret is presented at the token endpoint, as the provider's metadata allows. */
export type OidcTokenAuth = "client_secret_basic" | "client_secret_post";

/** What discovery told us about an issuer: its metadata (issuer checked by the library) and how to send the secret. */
export interface OidcDiscovery {
  metadata: client.ServerMetadata;
  tokenAuth: OidcTokenAuth;
  /** The issuer's signing keys once fetched, shared by the sign-ins of the cache's lifetime. */
  jwks?: client.ExportedJWKSCache;
}

export type DiscoveryResult = { ok: true; discovery: OidcDiscovery } | { ok: false; problem: string; log: string };

/**
 * An issuer as typed by an Owner, checked before anything is fetched: https (http only where
 * allowsHttpIssuer), no credentials, query or fragment (an issuer identifier has none). A trailing
 * slash is dropped, as providers publish their issuer without it.
 */
export function parseIssuer(raw: string, allowHttp = allowsHttpIssuer()): { url: URL } | { problem: string } {
  const value = raw.trim();
  if (!value) return { problem: "Enter the issuer URL of your identity provider." };
  if (value.length > 500) return { problem: "The issuer URL is longer than 500 characters." };
  if (!URL.canParse(value)) return { problem: "The issuer is not a URL (for example https://acme.okta.com)." };
  const url = new URL(value);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowHttp)) return { problem: "The issuer URL must start with https://." };
  if (url.username || url.password) return { problem: "The issuer URL cannot contain a user name or password." };
  if (url.search || url.hash || value.includes("#") || value.endsWith("?"))
    return { problem: "The issuer URL cannot have a query (?) or a fragment (#)." };
  if (url.pathname.length > 1 && url.pathname.endsWith("/")) url.pathname = url.pathname.replace(/\/+$/, "");
  return { url };
}

function discoveryProblem(err: unknown): string {
  const code = err instanceof client.ClientError ? err.code : undefined;
  switch (code) {
    case "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED":
      return "Its discovery document names a different issuer: enter the issuer exactly as the provider gives it.";
    case "OAUTH_RESPONSE_IS_NOT_CONFORM":
    case "OAUTH_RESPONSE_IS_NOT_JSON":
    case "OAUTH_PARSE_ERROR":
    case "OAUTH_INVALID_RESPONSE":
      return "It did not answer with an OpenID Connect discovery document.";
    case "OAUTH_HTTP_REQUEST_FORBIDDEN":
      return "It must be reached over https://.";
    default:
      return "It could not be reached.";
  }
}

/**
 * Runs OpenID Connect discovery for an issuer (never cached: the connection settings run it before
 * saving, and discoverFor caches per connection). Every failure is a result with a sentence for the
 * Owner and a line for the log, never a thrown library error.
 */
export async function discoverIssuer(issuer: string, clientId: string): Promise<DiscoveryResult> {
  const parsed = parseIssuer(issuer);
  if ("problem" in parsed) return { ok: false, problem: parsed.problem, log: `issuer refused: ${parsed.problem}` };
  const where = `${parsed.url.href.replace(/\/$/, "")}/.well-known/openid-configuration`;
  let config: client.Configuration;
  try {
    config = await client.discovery(parsed.url, clientId, undefined, client.None(), {
      execute: allowsHttpIssuer() ? [client.allowInsecureRequests] : [],
      timeout: OIDC_TIMEOUT_SECONDS,
    });
  } catch (err) {
    return { ok: false, problem: `The issuer did not answer discovery at ${where}. ${discoveryProblem(err)}`, log: errorText(err) };
  }
  const metadata = config.serverMetadata();
  const missing = (["authorization_endpoint", "token_endpoint", "jwks_uri"] as const).filter((k) => !metadata[k]);
  if (missing.length)
    return { ok: false, problem: `The issuer's discovery document has no ${missing.join(", ")}.`, log: `missing ${missing.join(", ")}` };
  if (metadata.response_types_supported && !metadata.response_types_supported.includes("code"))
    return { ok: false, problem: "The issuer does not offer the authorization code flow.", log: "no response_type code" };
  // OpenID Connect Discovery: when the list is absent, client_secret_basic is the default.
  const methods = metadata.token_endpoint_auth_methods_supported ?? ["client_secret_basic"];
  const tokenAuth = (["client_secret_basic", "client_secret_post"] as const).find((m) => methods.includes(m));
  if (!tokenAuth)
    return {
      ok: false,
      problem: "The issuer does not accept a client secret at its token endpoint (client_secret_basic or client_secret_post).",
      log: `token_endpoint_auth_methods_supported: ${methods.join(" ")}`,
    };
  return { ok: true, discovery: { metadata: { ...metadata }, tokenAuth } };
}
