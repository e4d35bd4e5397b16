import { generateKeyPairSync, sign } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcAuthorizationUrl, oidcProfile } from "@/lib/sso/oidc";
import { ssoUrls } from "@/lib/sso/urls";
import { attemptValues, clientFor, closedPort, expectSsoError, oidcConnection, startNotAnIdp } from "./oidc-fixtures";
import { startOidcProvider, type TestOidcProvider } from "./oidc-provider";

/**
 * The OpenID Connect protocol module against a real provider (oidc-provider) on loopback: the
 * happy path, and each check of the answer, proven by an answer that breaks it.
 */
describe("OpenID Connect sign-in", () => {
  let idp: TestOidcProvider;
  let a: ReturnType<typeof oidcConnection>;
  let b: ReturnType<typeof oidcConnection>;

  beforeAll(async () => {
    idp = await startOidcProvider({
      accounts: {
        ada: { email: "Ada@Acme.test", email_verified: true, name: "Ada Lovelace" },
        unverified: { email: "mallory@acme.test", email_verified: false, name: "Mallory" },
        silent: { name: "No Address" },
        userinfo: { email: "grace@acme.test", email_verified: true, name: "Grace Hopper", emailOnlyInUserinfo: true },
      },
    });
    a = oidcConnection({ issuer: idp.issuer, clientId: "client-a", clientSecret: "secret-a-0123456789" });
    b = oidcConnection({ issuer: idp.issuer, clientId: "client-b", clientSecret: "secret-b-0123456789" });
    await idp.addClient(clientFor(a, "secret-a-0123456789"));
    await idp.addClient(clientFor(b, "secret-b-0123456789"));
  });
  afterAll(async () => {
    await idp?.close();
  });

  /** Starts as the start route does and follows the provider's login: the callback URL it sends the browser to. */
  async function authorize(connection = a, login = "ada", values = attemptValues()) {
    const url = await oidcAuthorizationUrl(connection, values);
    return { values, callback: await idp.signIn(url, login) };
  }

  it("asks for the code flow with PKCE S256, state, nonce and our redirect URI", async () => {
    const values = attemptValues();
    const url = await oidcAuthorizationUrl(a, values);
    expect(url.origin).toBe(idp.issuer);
    const q = url.searchParams;
    expect(q.get("response_type")).toBe("code");
    expect(q.get("client_id")).toBe("client-a");
    expect(q.get("redirect_uri")).toBe(ssoUrls(a.id).oidcRedirectUri);
    expect(q.get("scope")).toBe("openid email profile");
    expect(q.get("state")).toBe(values.state);
    expect(q.get("nonce")).toBe(values.nonce);
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.href).not.toContain(values.codeVerifier);
  });

  it("returns the person the provider signed in: subject, lower-cased address and name", async () => {
    const { values, callback } = await authorize();
    expect(callback.href.startsWith(ssoUrls(a.id).oidcRedirectUri)).toBe(true);
    expect(callback.searchParams.get("code")).toBeTruthy();
    const profile = await oidcProfile(a, { currentUrl: callback, ...values });
    expect(profile).toEqual({ subject: "ada", email: "ada@acme.test", name: "Ada Lovelace" });
  });

  it("a code is exchanged once: the same answer a second time is refused", async () => {
    const { values, callback } = await authorize();
    await oidcProfile(a, { currentUrl: callback, ...values });
    await expectSsoError(oidcProfile(a, { currentUrl: callback, ...values }), "invalid_response");
  });

  it("refuses an answer whose state is not the attempt's", async () => {
    const { values, callback } = await authorize();
    await expectSsoError(oidcProfile(a, { currentUrl: callback, ...values, state: attemptValues().state }), "invalid_response");
  });

  it("refuses an ID token whose nonce is not the attempt's (started with nonce A, finished expecting nonce B)", async () => {
    const { values, callback } = await authorize();
    const err = await expectSsoError(oidcProfile(a, { currentUrl: callback, ...values, nonce: attemptValues().nonce }), "invalid_response");
    expect(err.log).toMatch(/nonce/);
  });

  it("refuses a wrong or missing PKCE verifier: the provider will not exchange the code", async () => {
    const wrong = await authorize();
    await expectSsoError(
      oidcProfile(a, { currentUrl: wrong.callback, ...wrong.values, codeVerifier: attemptValues().codeVerifier }),
      "invalid_response",
    );
    const missing = await authorize();
    // Refused before the token endpoint: without a verifier the library would not send one at all.
    const err = await expectSsoError(
      oidcProfile(a, { currentUrl: missing.callback, ...missing.values, codeVerifier: "" }),
      "invalid_response",
    );
    expect(err.log).toMatch(/PKCE verifier/);
  });

  it("refuses a code issued to another client, presented with this connection's settings", async () => {
    const { values, callback } = await authorize(b);
    // The browser brings client B's code to connection A's callback.
    const atA = new URL(ssoUrls(a.id).oidcRedirectUri);
    atA.search = callback.search;
    await expectSsoError(oidcProfile(a, { currentUrl: atA, ...values }), "invalid_response");
  });

  it("refuses an ID token made for another client, even signed by the issuer with the right nonce", async () => {
    // A real token answer for client B, with the nonce that connection A's attempt will expect.
    const shared = attemptValues();
    const forB = await authorize(b, "ada", shared);
    await oidcProfile(b, { currentUrl: forB.callback, ...forB.values });
    const tokensForB = idp.lastResponse.token!;
    expect(typeof tokensForB.id_token).toBe("string");
    // The provider then answers connection A's code exchange with client B's tokens.
    const forA = await authorize(a, "ada", { ...attemptValues(), nonce: shared.nonce });
    idp.replaceResponse.token = tokensForB;
    try {
      const err = await expectSsoError(oidcProfile(a, { currentUrl: forA.callback, ...forA.values }), "invalid_response");
      expect(err.log).toMatch(/aud/);
    } finally {
      delete idp.replaceResponse.token;
    }
  });

  it("refuses an answer without an ID token", async () => {
    const { values, callback } = await authorize();
    idp.replaceResponse.token = { access_token: "opaque", token_type: "Bearer", expires_in: 60 };
    try {
      await expectSsoError(oidcProfile(a, { currentUrl: callback, ...values }), "invalid_response");
    } finally {
      delete idp.replaceResponse.token;
    }
  });

  it("refuses an ID token signed with a key that is not the issuer's", async () => {
    const { values, callback } = await authorize();
    // Every claim right, the header naming the issuer's key id, but signed with another key.
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const now = Math.floor(Date.now() / 1000);
    const part = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const body = `${part({ alg: "RS256", kid: "test-key", typ: "JWT" })}.${part({
      iss: idp.issuer,
      aud: "client-a",
      sub: "ada",
      email: "ada@acme.test",
      nonce: values.nonce,
      iat: now,
      exp: now + 300,
    })}`;
    const forged = `${body}.${sign("sha256", Buffer.from(body), privateKey).toString("base64url")}`;
    idp.replaceResponse.token = { access_token: "opaque", token_type: "Bearer", expires_in: 60, id_token: forged };
    try {
      await expectSsoError(oidcProfile(a, { currentUrl: callback, ...values }), "invalid_response");
    } finally {
      delete idp.replaceResponse.token;
    }
  });

  it("refuses an address the provider marks unverified, and an answer with no address", async () => {
    const unverified = await authorize(a, "unverified");
    const err = await expectSsoError(oidcProfile(a, { currentUrl: unverified.callback, ...unverified.values }), "email_missing");
    expect(err.log).toMatch(/email_verified/);
    const silent = await authorize(a, "silent");
    await expectSsoError(oidcProfile(a, { currentUrl: silent.callback, ...silent.values }), "email_missing");
  });

  it("takes the address from userinfo when the ID token has none, but only for the ID token's subject", async () => {
    const fromUserinfo = await authorize(a, "userinfo");
    expect(await oidcProfile(a, { currentUrl: fromUserinfo.callback, ...fromUserinfo.values })).toEqual({
      subject: "userinfo",
      email: "grace@acme.test",
      name: "Grace Hopper",
    });
    // Userinfo answering for another subject (a mix-up, or a provider that lies) is refused.
    const mixup = await authorize(a, "userinfo");
    idp.replaceResponse.userinfo = { sub: "someone-else", email: "eve@acme.test", email_verified: true };
    try {
      await expectSsoError(oidcProfile(a, { currentUrl: mixup.callback, ...mixup.values }), "invalid_response");
    } finally {
      delete idp.replaceResponse.userinfo;
    }
  });

  it("an error answer from the provider (the person cancelled) is a provider error", async () => {
    const values = attemptValues();
    const callback = await idp.signIn(await oidcAuthorizationUrl(a, values), "ada", { abort: true });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    await expectSsoError(oidcProfile(a, { currentUrl: callback, ...values }), "provider_error");
  });

  it("an issuer that does not answer discovery is a provider error", async () => {
    const gone = oidcConnection({ issuer: `http://127.0.0.1:${await closedPort()}`, clientId: "x", clientSecret: "y" });
    await expectSsoError(oidcAuthorizationUrl(gone, attemptValues()), "provider_error");
    const notIdp = await startNotAnIdp();
    try {
      const wrong = oidcConnection({ issuer: notIdp.url, clientId: "x", clientSecret: "y" });
      await expectSsoError(oidcAuthorizationUrl(wrong, attemptValues()), "provider_error");
    } finally {
      await notIdp.close();
    }
  });

  it("a client secret that cannot be opened (another AUTH_SECRET, or copied from another connection) is a provider error", async () => {
    const { values, callback } = await authorize();
    const copied = { ...a, oidcClientSecretSealed: b.oidcClientSecretSealed };
    await expectSsoError(oidcProfile(copied, { currentUrl: callback, ...values }), "provider_error");
  });
});
