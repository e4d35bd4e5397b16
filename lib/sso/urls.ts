import { getEnv } from "@/lib/env";

/** The addresses of a connection, built from APP_URL (never from request headers). */
export function ssoUrls(connectionId: string) {
  const base = getEnv().APP_URL.replace(/\/$/, "");
  const root = `${base}/api/sso/${connectionId}`;
  return {
    /** Where "Continue with single sign-on" and "Test connection" begin (GET, ?purpose=&callbackUrl=). */
    start: `${root}/start`,
    /** OIDC redirect URI, pasted into the identity provider. */
    oidcRedirectUri: `${root}/oidc/callback`,
    /** SAML Assertion Consumer Service URL (HTTP-POST binding). */
    samlAcsUrl: `${root}/saml/acs`,
    /** SAML SP metadata; its URL is also the SP entity id (audience). */
    samlMetadataUrl: `${root}/saml/metadata`,
    samlEntityId: `${root}/saml/metadata`,
  };
}
