/**
 * Server time of a sign-in through an organization's OpenID Connect connection against an
 * email-link sign-in, on a running production build (loopback only). Prints p50/p95 of each flow
 * and their ratio (the target: SSO ≤ 2× the email link). It is not a test.
 *
 * What is timed is what our server does, request by request, from the moment the person sends the
 * sign-in form until the response that sets the session cookie:
 *   - email link: the form's server action (home-realm discovery finds no connection, the token is
 *     written and the email queued), then the confirm page's POST /api/auth/callback/email (uses
 *     the token, creates the session);
 *   - SSO: the same server action (finds the organization's connection and answers with its start
 *     URL), GET /api/sso/{id}/start (remembers the attempt, redirects to the provider), then
 *     GET /api/sso/{id}/oidc/callback (exchanges the code with the provider, checks the ID token,
 *     links the account, creates the session).
 * Not timed: the provider's login pages, the wait for the email, the confirm page itself, and the
 * page each flow lands on. The callback's own call to the provider's token endpoint is timed (it
 * is on the request's path). Both flows sign in a returning person; a first round of each warms
 * the server and is not counted. Run it in the checkout whose build the server runs (it reads the
 * server action's id from .next/).
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
import { readFileSync } from "node:fs";
import { desc, eq } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { mailboxMessages, orgDomains, ssoConnections, users } from "@/db/schema";
import { DEMO } from "@/db/seed";
import { saveOidcConnection } from "@/lib/membership";
import { ssoUrls } from "@/lib/sso/urls";
import { startOidcProvider } from "@/tests/sso/oidc-provider";
import { localApp } from "./scratch-database";

const { base: BASE, dbUrl: DB_URL } = localApp("bench/sso-sign-in.ts", "http://127.0.0.1:3121");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const database = openDatabase({ url: DB_URL, max: 2 });
const db = database.db;
const [owner] = await db.select().from(users).where(eq(users.email, "owner@acme.test"));
if (!owner) throw new Error("Seed the demo data first (npm run db:seed)");

// A verified domain of the demo organization and a switched-on connection to a provider on loopback.
const tag = randomBytes(3).toString("hex");
const domain = `bench-${tag}.example`;
// Verified a moment ago, next check in a day: the server's re-check would otherwise look the name up.
const now = new Date();
await db.insert(orgDomains).values({
  orgId: DEMO.orgId,
  domain,
  verificationToken: `mc-domain-verification=${randomUUID()}`,
  status: "verified",
  verifiedAt: now,
  lastCheckedAt: now,
  nextCheckAt: new Date(now.getTime() + 86_400_000),
});
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

const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
  node: Record<string, { exportedName: string }>;
};
const signInAction = Object.entries(manifest.node).find(([, v]) => v.exportedName === "requestSignInLink")?.[0];
if (!signInAction) throw new Error("no requestSignInLink action in .next/: build first (npm run build)");

/** The sign-in form's server action, sent as React's client sends a form (fields first, then the arguments). */
function submitSignInForm(jar: Map<string, string>, email: string) {
  const form = new FormData();
  form.set("_1_email", email);
  form.set("_1_callbackUrl", "/orgs");
  form.set("0", JSON.stringify([null, "$K1"]));
  return timed(jar, "/sign-in", {
    method: "POST",
    headers: { "next-action": signInAction!, origin: BASE, accept: "text/x-component" },
    body: form,
  });
}

async function emailRound(): Promise<number> {
  const jar = new Map<string, string>();
  const since = new Date();
  const form = await submitSignInForm(jar, emailPerson);
  if (!form.body.includes("check-email"))
    throw new Error(`the sign-in form did not send a link: ${form.res.status} ${form.body.slice(0, 300)}`);
  const link = await waitForLink(since);
  const callback = await timed(jar, `/api/auth/callback/email${new URL(link).search}`, { method: "POST", headers: { origin: BASE } });
  if (!signedIn(jar)) throw new Error(`the email link did not sign in: ${callback.res.status} ${callback.res.headers.get("location")}`);
  return form.ms + callback.ms;
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
  const form = await submitSignInForm(jar, ssoPerson);
  const startUrl = form.body.match(/"startUrl":"([^"]+)"/)?.[1];
  if (!startUrl) throw new Error(`the sign-in form did not offer single sign-on: ${form.body.slice(0, 300)}`);
  const start = await timed(jar, startUrl);
  if (start.res.status !== 303) throw new Error(`the start route answered ${start.res.status}`);
  const callbackUrl = await idp.signIn(start.res.headers.get("location")!, "person");
  const callback = await timed(jar, callbackUrl.pathname + callbackUrl.search);
  if (!signedIn(jar)) throw new Error(`SSO did not sign in: ${callback.res.status} ${callback.res.headers.get("location")}`);
  return form.ms + start.ms + callback.ms;
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
