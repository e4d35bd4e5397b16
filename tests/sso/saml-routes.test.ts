import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { organizationMemberships, orgDomains, sessions, ssoConnections, users } from "@/db/schema";
import { beginSsoAttempt, newSsoState } from "@/lib/membership/sso/sso-attempts";
import { samlAuthorizationUrl } from "@/lib/sso/saml";
import { testTargets, useTestDatabase } from "../db";
import { connectTestIdp, type SamlSetup } from "./saml-fixtures";

/**
 * The ACS and SP metadata routes called as Next.js would call them; only the database singleton
 * is replaced. The sign-in goes all the way to the SSO core (session row and cookie).
 */
const state = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/lib/server/database", () => ({ getDb: () => state.db }));

const acs = await import("@/app/api/sso/[connectionId]/saml/acs/route");
const metadata = await import("@/app/api/sso/[connectionId]/saml/metadata/route");

describe.each(testTargets())("SAML routes on %s", (kind) => {
  const database = useTestDatabase(kind);
  let s: SamlSetup;
  const domain = `acme-${randomBytes(4).toString("hex")}.test`;

  beforeAll(async () => {
    state.db = database.db;
    s = await connectTestIdp(database.db);
    await database.db.update(ssoConnections).set({ enabled: true, testedAt: new Date() }).where(eq(ssoConnections.id, s.connection.id));
    s.connection = { ...s.connection, enabled: true };
    await database.db.insert(orgDomains).values({ orgId: s.connection.orgId, domain, verificationToken: "t", status: "verified" });
  });

  /** Starts a sign-in as the start route would: an attempt remembering the AuthnRequest's ID. */
  async function start(callbackPath = "/orgs") {
    const relayState = newSsoState();
    const { requestId } = await samlAuthorizationUrl(s.connection, { relayState });
    await beginSsoAttempt(database.db, relayState, {
      connectionId: s.connection.id,
      purpose: "sign_in",
      callbackPath,
      samlRequestId: requestId,
    });
    return { relayState, requestId };
  }

  const post = (fields: Record<string, string>, connectionId = s.connection.id) =>
    acs.POST(
      new NextRequest(`http://localhost:3000/api/sso/${connectionId}/saml/acs`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      }),
      { params: Promise.resolve({ connectionId }) },
    );
  const reasonOf = (response: Response) => new URL(response.headers.get("location")!).searchParams.get("reason");

  it("a signed answer to our request signs the person in: a database session, its cookie, and the way back", async () => {
    const { relayState, requestId } = await start("/orgs?from=sso");
    const email = `new.person@${domain}`;
    const response = await post({ SAMLResponse: await s.respond(requestId, { email }), RelayState: relayState });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get("location")!).pathname + new URL(response.headers.get("location")!).search).toBe("/orgs?from=sso");
    const token = /authjs\.session-token=([^;]+)/.exec(response.headers.get("set-cookie") ?? "")?.[1];
    expect(token).toBeTruthy();
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const [session] = await database.db.select().from(sessions).where(eq(sessions.sessionToken, token!));
    expect(session!.userId).toBe(user!.id);
    const [membership] = await database.db.select().from(organizationMemberships).where(eq(organizationMemberships.userId, user!.id));
    expect(membership).toMatchObject({ orgId: s.connection.orgId, role: "member" });
  });

  it("the same response posted again finds no attempt (each attempt is taken once): refused as expired", async () => {
    const { relayState, requestId } = await start();
    const fields = { SAMLResponse: await s.respond(requestId, { email: `twice@${domain}` }), RelayState: relayState };
    expect(reasonOf(await post(fields))).toBeNull();
    const again = await post(fields);
    expect(again.headers.get("location")).toContain("/sign-in/error");
    expect(reasonOf(again)).toBe("expired");
    expect(again.headers.get("set-cookie") ?? "").not.toMatch(/authjs\.session-token=[^;]/);
  });

  it("an IdP-initiated response (no RelayState) is refused as expired", async () => {
    const response = await post({ SAMLResponse: await s.respond(null, { email: `idp@${domain}` }) });
    expect(reasonOf(response)).toBe("expired");
  });

  it("a response for another attempt's request is refused, and that attempt is used up", async () => {
    const first = await start();
    const second = await start();
    const response = await post({
      SAMLResponse: await s.respond(second.requestId, { email: `swap@${domain}` }),
      RelayState: first.relayState,
    });
    expect(reasonOf(response)).toBe("invalid_response");
  });

  it("an address outside the organization's verified domains is refused by the SSO core", async () => {
    const { relayState, requestId } = await start();
    const response = await post({ SAMLResponse: await s.respond(requestId, { email: "someone@elsewhere.test" }), RelayState: relayState });
    expect(reasonOf(response)).toBe("domain_not_verified");
  });

  it("a switched-off connection signs no one in; an unknown connection and a non-form body are refused", async () => {
    const { relayState, requestId } = await start();
    await database.db.update(ssoConnections).set({ enabled: false }).where(eq(ssoConnections.id, s.connection.id));
    try {
      const response = await post({ SAMLResponse: await s.respond(requestId, { email: `off@${domain}` }), RelayState: relayState });
      expect(reasonOf(response)).toBe("connection_disabled");
    } finally {
      await database.db.update(ssoConnections).set({ enabled: true }).where(eq(ssoConnections.id, s.connection.id));
    }
    expect(reasonOf(await post({ SAMLResponse: "x", RelayState: "y" }, "00000000-0000-4000-8000-000000000000"))).toBe(
      "connection_disabled",
    );
    const json = await acs.POST(
      new NextRequest(`http://localhost:3000/api/sso/${s.connection.id}/saml/acs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }),
      { params: Promise.resolve({ connectionId: s.connection.id }) },
    );
    expect(reasonOf(json)).toBe("invalid_response");
  });

  it("serves the SP metadata as application/samlmetadata+xml; an unknown connection is 404", async () => {
    const get = (connectionId: string) =>
      metadata.GET(new NextRequest(`http://localhost:3000/api/sso/${connectionId}/saml/metadata`), {
        params: Promise.resolve({ connectionId }),
      });
    const found = await get(s.connection.id);
    expect(found.status).toBe(200);
    expect(found.headers.get("content-type")).toMatch(/^application\/samlmetadata\+xml/);
    expect(await found.text()).toContain(`entityID="${s.urls.samlEntityId}"`);
    expect((await get("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await get("not-an-id")).status).toBe(404);
  });
});
