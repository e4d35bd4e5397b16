/**
 * A real OpenID Connect provider for the tests (oidc-provider, the certified implementation), on
 * 127.0.0.1 at a port of its own, with the clients and people a test gives it, and a driver that
 * signs someone in through its login page with plain HTTP (manual redirects and a cookie jar), so
 * no browser is needed. No "@/" imports: the e2e global setup starts it too.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type ClientMetadata } from "oidc-provider";

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** The ID token leaves out email and email_verified: only the userinfo endpoint has them. */
  emailOnlyInUserinfo?: boolean;
}

export interface TestClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post";
}

export interface TestOidcProvider {
  issuer: string;
  port: number;
  accounts: Map<string, TestAccount>;
  /** Registers (or replaces) a client while the provider runs. */
  addClient(client: TestClient): Promise<void>;
  /** "METHOD /path" of every request the provider received, oldest first. */
  requests: string[];
  /** The last JSON answer of the token endpoint and of the userinfo endpoint. */
  lastResponse: Partial<Record<TamperedEndpoint, Record<string, unknown>>>;
  /** An answer the endpoint gives instead of its own (a hostile or broken provider); delete it to stop. */
  replaceResponse: Partial<Record<TamperedEndpoint, Record<string, unknown>>>;
  /**
   * Follows an authorization URL through the provider's login as `login` and returns the URL it
   * finally redirects to (our callback, with code, state and iss, or with an error).
   */
  signIn(authorizationUrl: URL | string, login: string, options?: { abort?: boolean }): Promise<URL>;
  close(): Promise<void>;
}

const SCOPE = "openid email profile";

export type TamperedEndpoint = "token" | "userinfo";
const ENDPOINT_PATHS: Record<string, TamperedEndpoint> = { "/token": "token", "/me": "userinfo" };

/** Starts the provider; `port` 0 (the default) picks a free one. */
export async function startOidcProvider(
  options: { clients?: TestClient[]; accounts?: Record<string, TestAccount>; port?: number } = {},
): Promise<TestOidcProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map(Object.entries(options.accounts ?? {}));

  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider = new Provider(issuer, {
    clients: (options.clients ?? []).map(toMetadata),
    jwks: { keys: [{ ...signingKey, kid: "test-key", alg: "RS256", use: "sig" }] },
    cookies: { keys: [randomBytes(16).toString("hex")] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // As Okta and Google do for the authorization code flow: the scope's claims are in the ID token too.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        async claims(use) {
          const { emailOnlyInUserinfo, ...claims } = account;
          if (use === "id_token" && emailOnlyInUserinfo) return { sub: id, name: claims.name };
          return { ...claims, sub: id };
        },
      };
    },
    // A first-party client: no consent screen, the scope is granted at once.
    async loadExistingGrant(ctx) {
      const oidc = ctx.oidc;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session!.accountId });
      grant.addOIDCScope(SCOPE);
      await grant.save();
      return grant;
    },
  });

  const state: Pick<TestOidcProvider, "requests" | "lastResponse" | "replaceResponse"> = {
    requests: [],
    lastResponse: {},
    replaceResponse: {},
  };
  provider.use(async (ctx, next) => {
    state.requests.push(`${ctx.method} ${ctx.path}`);
    await next();
    const endpoint = ENDPOINT_PATHS[ctx.path];
    if (endpoint && ctx.status === 200 && ctx.body && typeof ctx.body === "object") {
      state.lastResponse[endpoint] = { ...(ctx.body as Record<string, unknown>) };
      const replacement = state.replaceResponse[endpoint];
      if (replacement) ctx.body = replacement;
    }
  });
  handler = provider.callback();

  async function addClient(client: TestClient) {
    // Statically configured clients are read at start; later ones are stored as registered ones are.
    const store = (provider.Client as unknown as { adapter: { upsert(id: string, payload: object): Promise<void> } }).adapter;
    await store.upsert(client.client_id, toMetadata(client));
  }

  return Object.assign(state, {
    issuer,
    port,
    accounts,
    addClient,
    signIn: (url: URL | string, login: string, opts: { abort?: boolean } = {}) => signIn(issuer, new URL(url), login, opts),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function toMetadata(client: TestClient): ClientMetadata {
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: client.token_endpoint_auth_method ?? "client_secret_basic",
  };
}

async function signIn(issuer: string, start: URL, login: string, opts: { abort?: boolean }): Promise<URL> {
  const jar = new Map<string, string>();
  const request = async (url: URL, init: RequestInit = {}) => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(url, { ...init, redirect: "manual", headers: { ...(init.headers as object), ...(cookie ? { cookie } : {}) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const value = pair.slice(at + 1);
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") jar.delete(pair.slice(0, at));
      else jar.set(pair.slice(0, at), value);
    }
    return res;
  };
  let url = start;
  let res = await request(url);
  for (let step = 0; step < 20; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location")!, url);
      await res.body?.cancel();
      if (url.origin !== new URL(issuer).origin) return url;
      res = await request(url);
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !prompt || !action)
      throw new Error(`The test provider answered ${res.status} at ${url.pathname}: ${html.slice(0, 300)}`);
    if (opts.abort) {
      res = await request(new URL(`${url.pathname}/abort`, url));
      continue;
    }
    const body = new URLSearchParams(prompt === "login" ? { prompt, login, password: "any" } : { prompt });
    res = await request(new URL(action.replace(/&amp;/g, "&"), url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });
  }
  throw new Error("The test provider's sign-in did not end in 20 steps");
}
