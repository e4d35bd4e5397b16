import { createServer, type IncomingMessage, type Server } from "node:http";
import { inflateRawSync } from "node:zlib";
import { DOMParser } from "@xmldom/xmldom";
import { startOidcProvider, type TestOidcProvider } from "../tests/sso/oidc-provider";
import { createTestIdp, EMAIL_FORMAT } from "../tests/sso/saml-idp";

/**
 * The run's identity providers, on loopback for the whole end-to-end run (started by the global
 * setup, like the DNS server): a real OpenID Connect provider (oidc-provider) and a SAML 2.0 IdP
 * (samlify's IdP side, signing with the test key pair). Tests run in other processes, so they
 * tell the providers who exists through a small control server (`idpControl`).
 */
const port = Number(process.env.E2E_PORT ?? 3100);
export const OIDC_PORT = port + 101;
export const SAML_PORT = port + 102;
export const CONTROL_PORT = port + 103;
export const OIDC_ISSUER = `http://127.0.0.1:${OIDC_PORT}`;
export const SAML_IDP_ORIGIN = `http://127.0.0.1:${SAML_PORT}`;

const readBody = async (req: IncomingMessage) => {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
};
const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const listen = (server: Server, at: number) =>
  new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(at, "127.0.0.1", () => resolve());
  });
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

export async function startIdentityProviders(): Promise<() => Promise<void>> {
  const oidc: TestOidcProvider = await startOidcProvider({ port: OIDC_PORT });
  const idp = createTestIdp({ entityId: `${SAML_IDP_ORIGIN}/saml/metadata`, ssoUrl: `${SAML_IDP_ORIGIN}/saml/sso` });
  // Who the SAML IdP signs in next (a test sets it before sending the browser there).
  let samlNext: string | null = null;

  const saml = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", SAML_IDP_ORIGIN);
      if (url.pathname === "/saml/metadata")
        return res.writeHead(200, { "content-type": "application/samlmetadata+xml" }).end(idp.metadataXml());
      if (url.pathname !== "/saml/sso") return res.writeHead(404).end();
      const encoded = url.searchParams.get("SAMLRequest");
      if (!encoded || !samlNext) return res.writeHead(400).end("no AuthnRequest, or no one to sign in");
      const request = new DOMParser().parseFromString(inflateRawSync(Buffer.from(encoded, "base64")).toString("utf8"), "text/xml");
      const authn = request.documentElement!;
      const acsUrl = authn.getAttribute("AssertionConsumerServiceURL")!;
      const issuer = authn.getElementsByTagNameNS("urn:oasis:names:tc:SAML:2.0:assertion", "Issuer")[0]?.textContent ?? "";
      const response = await idp.response({
        acsUrl,
        audience: issuer,
        inResponseTo: authn.getAttribute("ID"),
        email: samlNext,
        nameIdFormat: EMAIL_FORMAT,
      });
      const relayState = url.searchParams.get("RelayState") ?? "";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
        `<!doctype html><html lang="en"><title>Test IdP</title><body><h1>Test SAML IdP</h1>
<form method="post" action="${escapeHtml(acsUrl)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(response)}">
<input type="hidden" name="RelayState" value="${escapeHtml(relayState)}"><button type="submit">Continue to the console</button></form>
<script>document.forms[0].submit()</script></body></html>`,
      );
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });

  const control = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (req.url === "/oidc/clients") {
        await oidc.addClient(body as never);
      } else if (req.url === "/oidc/accounts") {
        oidc.accounts.set(String(body.login), { email: String(body.email), email_verified: true, name: String(body.name ?? "") });
      } else if (req.url === "/saml/next") {
        samlNext = String(body.email);
      } else return res.writeHead(404).end();
      res.writeHead(204).end();
    })().catch((err: unknown) => res.writeHead(500).end(String(err)));
  });

  await listen(saml, SAML_PORT);
  await listen(control, CONTROL_PORT);
  return async () => {
    await Promise.all([oidc.close(), close(saml), close(control)]);
  };
}

/** Tells the run's identity providers something (from a test process). */
export async function idpControl(path: "/oidc/clients" | "/oidc/accounts" | "/saml/next", body: object): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${CONTROL_PORT}${path}`, { method: "POST", body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`the e2e identity providers answered ${res.status}: ${await res.text()}`);
}
