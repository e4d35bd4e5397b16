import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomNonce, randomPKCECodeVerifier, randomState } from "openid-client";
import { expect } from "vitest";
import { sealOidcClientSecret } from "@/lib/sso/oidc";
import { SsoError, type SsoConnection, type SsoFailureReason } from "@/lib/sso/types";
import { ssoUrls } from "@/lib/sso/urls";
import type { TestClient } from "./oidc-provider";

/** A connection as the database would hold it (the secret sealed), without a database. */
export function oidcConnection(values: { issuer: string; clientId: string; clientSecret: string; id?: string }): SsoConnection {
  const id = values.id ?? randomUUID();
  const now = new Date();
  return {
    id,
    orgId: randomUUID(),
    kind: "oidc",
    name: "Test provider",
    oidcIssuer: values.issuer,
    oidcClientId: values.clientId,
    oidcClientSecretSealed: sealOidcClientSecret(values.clientSecret, id),
    samlMetadataUrl: null,
    samlIdpEntityId: null,
    samlIdpSsoUrl: null,
    samlIdpCertificates: null,
    testedAt: null,
    enabled: true,
    requireSso: false,
    createdAt: now,
    updatedAt: now,
  };
}

/** The provider's registration of a connection's client: its redirect URI is the connection's own. */
export function clientFor(connection: SsoConnection, secret: string, extra: Partial<TestClient> = {}): TestClient {
  return { client_id: connection.oidcClientId!, client_secret: secret, redirect_uris: [ssoUrls(connection.id).oidcRedirectUri], ...extra };
}

/** What the start route keeps for an attempt. */
export function attemptValues() {
  return { state: randomState(), nonce: randomNonce(), codeVerifier: randomPKCECodeVerifier() };
}

/** Expects an SsoError with this reason (never a library error escaping). */
export async function expectSsoError(promise: Promise<unknown>, reason: SsoFailureReason): Promise<SsoError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected a refusal").toBeInstanceOf(SsoError);
  expect((err as SsoError).reason, (err as SsoError).message).toBe(reason);
  return err as SsoError;
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A web server that answers, but is no identity provider: every path is a 404 page. */
export async function startNotAnIdp(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(404, { "content-type": "text/html" }).end("<h1>Not found</h1>"));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
