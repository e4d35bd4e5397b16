/**
 * Server time of a sign-in through an organization's OpenID Connect connection against an
 * email-link sign-in, on a running production build (loopback only). Prints p50/p95 of each flow
 * and their ratio (the target: SSO ≤ 2× the email link). It is not a test.
 *
 * What is timed is what our server does, request by request, from the moment the person has typed
 * their address until the response that sets the session cookie:
 *   - email link: GET /api/auth/csrf, POST /api/auth/signin/email (writes the token, queues the
 *     email), then the link's GET /api/auth/callback/email (uses the token, creates the session);
 *   - SSO: GET /api/sso/{id}/start (remembers the attempt, redirects to the provider), then
 *     GET /api/sso/{id}/oidc/callback (exchanges the code with the provider, checks the ID token,
 *     links the account, creates the session).
 * The provider's login pages and the wait for the email are not timed; the callback's own call to
 * the provider's token endpoint is (it is on the request's path). Both flows sign in a returning
 * person; a first round for each warms the server and is not counted.
 *
 *     DATABASE_URL=postgres://…/db npm run db:migrate && DATABASE_URL=… npm run db:seed
 *     DATABASE_URL=… APP_URL=http://127.0.0.1:3121 AUTH_SECRET=… AUTH_TRUST_HOST=true ALLOW_LOCAL_MAILBOX_IN_PRODUCTION=true \
 *       SSO_ALLOW_HTTP_ISSUER=1 SIGN_IN_LIMIT_PER_ADDRESS=100000 SIGN_IN_LIMIT_PER_CLIENT=100000 SIGN_IN_LIMIT_GLOBAL_PER_MINUTE=100000 \
 *       npm start &
 *     BENCH_BASE_URL=http://127.0.0.1:3121 DATABASE_URL=… AUTH_SECRET=… APP_URL=http://127.0.0.1:3121 SSO_ALLOW_HTTP_ISSUER=1 \
 *       npx tsx --conditions=react-server bench/sso-sign-in.ts
 *
 * AUTH_SECRET must be the server's: the connection's client secret is sealed with it here and
 * opened there.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { mailboxMessages, orgDomains, ssoConnections, users } from "@/db/schema";
import { DEMO } from "@/db/seed";
import { saveOidcConnection } from "@/lib/membership";
import { ssoUrls } from "@/lib/sso/urls";
import { startOidcProvider } from "@/tests/sso/oidc-provider";

const BASE = process.env.BENCH_BASE_URL ?? "http://127.0.0.1:3121";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(BASE).hostname))
  throw new Error("bench/sso-sign-in.ts runs against this machine only");
const DB_URL = process.env.DATABASE_URL;
if (!DB_URL) throw new Error("DATABASE_URL must name the server's database");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const database = openDatabase({ url: DB_URL, max: 2 });
const db = database.db;
const [owner] = await db.select().from(users).where(eq(users.email, "owner@acme.test"));
if (!owner) throw new Error("Seed the demo data first (npm run db:seed)");

// A verified domain of the demo organization and a switched-on connection to a provider on loopback.
const tag = randomBytes(3).toString("hex");
const domain = `bench-${tag}.example`;
await db
  .insert(orgDomains)
  .values({ orgId: DEMO.orgId, domain, verificationToken: `mc-domain-verification=${randomUUID()}`, status: "verified" });
const idp = await startOidcProvider();
const clientSecret = randomBytes(24).toString("base64url");
const { id: connectionId } = await saveOidcConnection(
  db,
  { id: owner.id, email: owner.email },
  {
    orgId: DEMO.orgId,
    name: `Bench IdP ${tag}`,
    issuer: idp.issuer,
    clientId: "bench",
    clientSecret,
  },
);
await idp.addClient({ client_id: "bench", client_secret: clientSecret, redirect_uris: [ssoUrls(connectionId).oidcRedirectUri] });
await db.update(ssoConnections).set({ testedAt: new Date(), enabled: true }).where(eq(ssoConnections.id, connectionId));

const ssoPerson = `sso-${tag}@${domain}`;
const emailPerson = `email-${tag}@example.com`;
idp.accounts.set("person", { email: ssoPerson, email_verified: true, name: "Bench Person" });

/** One request to our server, timed; cookies from the jar go along, new ones come back into it. */
async function timed(jar: Map<string, string>, url: string, init: RequestInit = {}): Promise<{ res: Response; ms: number; body: string }> {
  const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const started = performance.now();
  const res = await fetch(new URL(url, BASE), {
    ...init,
    redirect: "manual",
    headers: { ...(init.headers as object), ...(cookie ? { cookie } : {}) },
  });
  const body = await res.text();
  const ms = performance.now() - started;
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const at = pair!.indexOf("=");
    jar.set(pair!.slice(0, at), pair!.slice(at + 1));
  }
  return { res, ms, body };
}

const signedIn = (jar: Map<string, string>) => [...jar].some(([k, v]) => k.endsWith("authjs.session-token") && v !== "");

async function emailRound(): Promise<number> {
  const jar = new Map<string, string>();
  const csrf = await timed(jar, "/api/auth/csrf");
  const { csrfToken: token } = JSON.parse(csrf.body) as { csrfToken: string };
  const since = new Date();
  const post = await timed(jar, "/api/auth/signin/email", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: emailPerson, csrfToken: token, callbackUrl: `${BASE}/orgs` }).toString(),
  });
  if (post.res.status !== 302 || !post.res.headers.get("location")?.includes("/sign-in/check-email"))
    throw new Error(`the sign-in form answered ${post.res.status} ${post.res.headers.get("location")}`);
  const link = await waitForLink(since);
  const callback = await timed(jar, `/api/auth/callback/email${new URL(link).search}`);
  if (!signedIn(jar)) throw new Error(`the email link did not sign in: ${callback.res.status} ${callback.res.headers.get("location")}`);
  return csrf.ms + post.ms + callback.ms;
}

async function waitForLink(since: Date): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const [message] = await db
      .select({ text: mailboxMessages.text, createdAt: mailboxMessages.createdAt })
      .from(mailboxMessages)
      .where(eq(mailboxMessages.to, emailPerson))
      .orderBy(desc(mailboxMessages.createdAt))
      .limit(1);
    if (message && message.createdAt >= since) {
      const link = message.text.match(/https?:\/\/\S*\/sign-in\/confirm\?\S+/)?.[0];
      if (link) return link;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("no sign-in email arrived in the local mailbox (is ALLOW_LOCAL_MAILBOX_IN_PRODUCTION=true set on the server?)");
}

async function ssoRound(): Promise<number> {
  const jar = new Map<string, string>();
  const start = await timed(jar, `/api/sso/${connectionId}/start?callbackUrl=/orgs`);
  if (start.res.status !== 303) throw new Error(`the start route answered ${start.res.status}`);
  const callbackUrl = await idp.signIn(start.res.headers.get("location")!, "person");
  const callback = await timed(jar, callbackUrl.pathname + callbackUrl.search);
  if (!signedIn(jar)) throw new Error(`SSO did not sign in: ${callback.res.status} ${callback.res.headers.get("location")}`);
  return start.ms + callback.ms;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const email: number[] = [];
const sso: number[] = [];
try {
  await emailRound();
  await ssoRound();
  // Alternating rounds, so a drift of the machine weighs on both flows alike.
  for (let i = 0; i < ROUNDS; i++) {
    email.push(await emailRound());
    sso.push(await ssoRound());
  }
  const row = (name: string, xs: number[]) =>
    `${name.padEnd(22)} p50 ${quantile(xs, 0.5).toFixed(1).padStart(6)} ms   p95 ${quantile(xs, 0.95).toFixed(1).padStart(6)} ms`;
  console.log(`Sign-in server time, ${ROUNDS} rounds each, against ${BASE}`);
  console.log(row("email link", email));
  console.log(row("SSO (OpenID Connect)", sso));
  console.log(`SSO / email link at p50: ${(quantile(sso, 0.5) / quantile(email, 0.5)).toFixed(2)}× (target ≤ 2×)`);
} finally {
  await db.update(ssoConnections).set({ enabled: false }).where(eq(ssoConnections.id, connectionId));
  await idp.close();
  await database.close();
}
