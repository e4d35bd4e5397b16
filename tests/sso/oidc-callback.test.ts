import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { organizationMemberships, orgDomains, ssoAttempts, ssoConnections, users } from "@/db/schema";
import { saveOidcConnection } from "@/lib/membership";
import { beginSsoAttempt, newSsoState, type SsoPurpose } from "@/lib/membership/sso/sso-attempts";
import { oidcAuthorizationUrl } from "@/lib/sso/oidc";
import { SSO_STATE_COOKIE, type SsoConnection } from "@/lib/sso/types";
import { ssoUrls } from "@/lib/sso/urls";
import { testTargets, useTestDatabase } from "../db";
import { buildWorld, uniqueEmail, type World } from "../membership/fixtures";
import { attemptValues } from "./oidc-fixtures";
import { startOidcProvider, type TestOidcProvider } from "./oidc-provider";

/**
 * The OpenID Connect callback route end to end: a real provider, the real route handler and
 * finishSsoSignIn on a real database; only the database singleton is pointed at the test's.
 */
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/lib/server/database", () => ({ getDb: () => state.db }));

const { GET } = await import("@/app/api/sso/[connectionId]/oidc/callback/route");

describe.each(testTargets())("OpenID Connect callback on %s", (kind) => {
  const database = useTestDatabase(kind);
  let idp: TestOidcProvider;
  let w: World;
  let connection: SsoConnection;
  let newcomer: string;

  beforeAll(async () => {
    state.db = database.db;
    [idp, w] = await Promise.all([startOidcProvider(), buildWorld(database.db)]);
    const domain = w.actors.owner.email.split("@")[1]!;
    await database.db
      .insert(orgDomains)
      .values({ orgId: w.org.id, domain, verificationToken: `mc-domain-verification=${randomUUID()}`, status: "verified" });
    const { id } = await saveOidcConnection(database.db, w.actors.owner, {
      orgId: w.org.id,
      name: "Callback IdP",
      issuer: idp.issuer,
      clientId: "console",
      clientSecret: "callback-secret",
    });
    await idp.addClient({ client_id: "console", client_secret: "callback-secret", redirect_uris: [ssoUrls(id).oidcRedirectUri] });
    await database.db.update(ssoConnections).set({ testedAt: new Date(), enabled: true }).where(eq(ssoConnections.id, id));
    connection = (await database.db.select().from(ssoConnections).where(eq(ssoConnections.id, id)))[0]!;
    newcomer = uniqueEmail("newcomer", w.tag);
    idp.accounts.set("newcomer", { email: newcomer, email_verified: true, name: "New Comer" });
    idp.accounts.set("owner", { email: w.actors.owner.email, email_verified: true });
  });
  afterAll(async () => {
    await idp?.close();
  });

  /** What the start route does, then the provider's login: the callback URL and the state (the cookie's value). */
  async function begin(login: string, purpose: SsoPurpose = "sign_in", options: { abort?: boolean } = {}) {
    const values = attemptValues();
    const s = newSsoState();
    await beginSsoAttempt(database.db, s, {
      connectionId: connection.id,
      purpose,
      callbackPath: `/orgs/${w.org.id}`,
      startedById: purpose === "test" ? w.actors.owner.id : null,
      nonce: values.nonce,
      codeVerifier: values.codeVerifier,
    });
    const callback = await idp.signIn(await oidcAuthorizationUrl(connection, { ...values, state: s }), login, options);
    return { callback, state: s };
  }

  const call = (callback: URL, cookie: string | null) =>
    GET(new NextRequest(callback, { headers: cookie === null ? {} : { cookie: `${SSO_STATE_COOKIE}=${cookie}` } }), {
      params: Promise.resolve({ connectionId: connection.id }),
    });
  const refusedWith = (answer: Response, reason: string) => {
    expect(answer.status).toBe(303);
    expect(new URL(answer.headers.get("location")!).search).toBe(`?error=SSO&reason=${reason}`);
  };
  const attemptsWaiting = async () =>
    (await database.db.select().from(ssoAttempts).where(eq(ssoAttempts.connectionId, connection.id))).length;

  it("signs a new person of a verified domain in: session cookie, state cookie cleared, joined as Organization Member", async () => {
    const { callback, state: s } = await begin("newcomer");
    const answer = await call(callback, s);
    expect(answer.status).toBe(303);
    expect(new URL(answer.headers.get("location")!).pathname).toBe(`/orgs/${w.org.id}`);
    const cookies = answer.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("authjs.session-token=") && /HttpOnly/i.test(c))).toBe(true);
    expect(cookies.some((c) => c.startsWith(`${SSO_STATE_COOKIE}=;`) && /Max-Age=0/i.test(c))).toBe(true);
    const [user] = await database.db.select().from(users).where(eq(users.email, newcomer));
    const [membership] = await database.db
      .select()
      .from(organizationMemberships)
      .where(and(eq(organizationMemberships.orgId, w.org.id), eq(organizationMemberships.userId, user!.id)));
    expect(membership!.role).toBe("member");
  });

  it("refuses an answer without the state cookie, or with another attempt's, and leaves the attempt for the browser that started it", async () => {
    const { callback, state: s } = await begin("newcomer");
    const waiting = await attemptsWaiting();
    refusedWith(await call(callback, null), "expired");
    refusedWith(await call(callback, newSsoState()), "expired");
    expect(await attemptsWaiting()).toBe(waiting);
    expect((await call(callback, s)).headers.get("location")).toContain(`/orgs/${w.org.id}`);
  });

  it("an answer is used once: the same callback again finds no attempt", async () => {
    const { callback, state: s } = await begin("newcomer");
    expect((await call(callback, s)).headers.get("location")).toContain(`/orgs/${w.org.id}`);
    refusedWith(await call(callback, s), "expired");
  });

  it("an error from the provider is a provider error; a failed test goes back to the settings page", async () => {
    const cancelled = await begin("newcomer", "sign_in", { abort: true });
    expect(cancelled.callback.searchParams.get("error")).toBe("access_denied");
    refusedWith(await call(cancelled.callback, cancelled.state), "provider_error");
    const test = await begin("owner", "test", { abort: true });
    const answer = await call(test.callback, test.state);
    expect(answer.headers.get("location")).toBe(
      new URL(`/orgs/${w.org.id}/settings/sso?failed=provider_error`, answer.headers.get("location")!).href,
    );
  });

  it("a switched-off connection signs no one in, but its Owner can still test it", async () => {
    await database.db.update(ssoConnections).set({ enabled: false }).where(eq(ssoConnections.id, connection.id));
    try {
      const signIn = await begin("newcomer");
      const asked = idp.requests.length;
      refusedWith(await call(signIn.callback, signIn.state), "connection_disabled");
      // Refused before the code is exchanged: the provider is not asked for tokens for a switched-off connection.
      expect(idp.requests.slice(asked)).not.toContain("POST /token");
      const test = await begin("owner", "test");
      const answer = await call(test.callback, test.state);
      expect(new URL(answer.headers.get("location")!).pathname + new URL(answer.headers.get("location")!).search).toBe(
        `/orgs/${w.org.id}/settings/sso?tested=1`,
      );
    } finally {
      await database.db.update(ssoConnections).set({ enabled: true }).where(eq(ssoConnections.id, connection.id));
    }
  });

  it("an unknown or malformed connection id is refused", async () => {
    const { callback, state: s } = await begin("newcomer");
    for (const connectionId of [randomUUID(), "not-a-uuid"]) {
      const answer = await GET(new NextRequest(callback, { headers: { cookie: `${SSO_STATE_COOKIE}=${s}` } }), {
        params: Promise.resolve({ connectionId }),
      });
      refusedWith(answer, "connection_disabled");
    }
  });
});
