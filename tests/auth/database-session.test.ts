import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions, users } from "@/db/schema";
import { readSessionActor, SESSION_MAX_AGE_SECONDS, SESSION_UPDATE_AGE_SECONDS, sessionTokenIn } from "@/lib/auth/database-session";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { testTargets, useTestDatabase } from "../db";
import { uniqueEmail } from "../shared-fixtures";

const DAY = 86_400_000;

describe.each(testTargets())("a page's session read in one statement on %s", (kind) => {
  const database = useTestDatabase(kind);

  /** A person with a session whose expiry is `expiresIn` ms from `now`. */
  async function signedIn(now: Date, expiresIn: number) {
    const email = uniqueEmail("Session");
    const [user] = await database.db.insert(users).values({ email, name: "Ada" }).returning({ id: users.id });
    const token = randomUUID();
    await database.db.insert(sessions).values({ sessionToken: token, userId: user!.id, expires: new Date(now.valueOf() + expiresIn) });
    return { userId: user!.id, email, token };
  }

  it("a live session not yet due for renewal is its person", async () => {
    const now = new Date();
    // Just signed in: the expiry is the whole lifetime away.
    const fresh = await signedIn(now, SESSION_MAX_AGE_SECONDS * 1000);
    expect(await readSessionActor(database.db, fresh.token, now)).toEqual({ id: fresh.userId, email: fresh.email, name: "Ada" });
    // Renewed (by Auth.js) just under a day ago.
    const renewed = await signedIn(now, SESSION_MAX_AGE_SECONDS * 1000 - SESSION_UPDATE_AGE_SECONDS * 1000 + 60_000);
    expect(await readSessionActor(database.db, renewed.token, now)).toMatchObject({ id: renewed.userId });
  });

  it("an expired session, or one due for renewal, is left to Auth.js (which deletes or renews it)", async () => {
    const now = new Date();
    const expired = await signedIn(now, -1);
    expect(await readSessionActor(database.db, expired.token, now)).toBe("ask Auth.js");
    const endingNow = await signedIn(now, 0);
    expect(await readSessionActor(database.db, endingNow.token, now)).toBe("ask Auth.js");
    const due = await signedIn(now, SESSION_MAX_AGE_SECONDS * 1000 - SESSION_UPDATE_AGE_SECONDS * 1000);
    expect(await readSessionActor(database.db, due.token, now)).toBe("ask Auth.js");
    const old = await signedIn(now, 3 * DAY);
    expect(await readSessionActor(database.db, old.token, now)).toBe("ask Auth.js");
  });

  it("no cookie, an unknown or deleted session, and forged tokens are nobody, and fail no statement", async () => {
    const now = new Date();
    const live = await signedIn(now, SESSION_MAX_AGE_SECONDS * 1000);
    expect(await readSessionActor(database.db, undefined, now)).toBeNull();
    expect(await readSessionActor(database.db, "", now)).toBeNull();
    expect(await readSessionActor(database.db, randomUUID(), now)).toBeNull();
    expect(await readSessionActor(database.db, `${live.token}\u0000`, now)).toBeNull();
    expect(await readSessionActor(database.db, live.token + "x".repeat(300), now)).toBeNull();
    expect(await readSessionActor(database.db, "' or 1=1 --", now)).toBeNull();
    // Signing out (or SCIM deprovisioning) deletes the row: the next read is nobody.
    await database.db.delete(sessions).where(eq(sessions.sessionToken, live.token));
    expect(await readSessionActor(database.db, live.token, now)).toBeNull();
    // A deleted person's sessions go with them.
    const gone = await signedIn(now, SESSION_MAX_AGE_SECONDS * 1000);
    await database.db.delete(users).where(eq(users.id, gone.userId));
    expect(await readSessionActor(database.db, gone.token, now)).toBeNull();
  });
});

describe("the session token in a Cookie header", () => {
  const name = "__Secure-authjs.session-token";
  const token = randomUUID();

  it("is the one cookie of the session's name, among others", () => {
    expect(sessionTokenIn(`theme=dark; ${name}=${token}; other=1`, name)).toBe(token);
    expect(sessionTokenIn(`${name}=${token}`, name)).toBe(token);
  });

  it("is none without a cookie of that name (the other name is not it: over https a plain-http page can set that one)", () => {
    expect(sessionTokenIn(null, name)).toBeUndefined();
    expect(sessionTokenIn("", name)).toBeUndefined();
    expect(sessionTokenIn(`authjs.session-token=${token}; theme=dark`, name)).toBeUndefined();
  });

  it("is Auth.js's to read when in doubt: two cookies of the name (a sibling subdomain can add one), chunks, or an unusual value", () => {
    // Next's cookies() would take the last of two, Auth.js the first: the answer must be Auth.js's.
    expect(sessionTokenIn(`${name}=${token}; ${name}=${randomUUID()}`, name)).toBe("ask Auth.js");
    expect(sessionTokenIn(`${name}.0=${token}`, name)).toBe("ask Auth.js");
    expect(sessionTokenIn(`${name}=${token}; ${name}.1=x`, name)).toBe("ask Auth.js");
    expect(sessionTokenIn(`${name}="${token}"`, name)).toBe("ask Auth.js");
    expect(sessionTokenIn(`${name}=${token}%00`, name)).toBe("ask Auth.js");
    expect(sessionTokenIn(`${name}=`, name)).toBe("ask Auth.js");
  });
});

describe("the session cookie's name", () => {
  it("is Auth.js's, with the __Secure- prefix when APP_URL is https", () => {
    expect(sessionCookieName("https://console.example.test")).toBe("__Secure-authjs.session-token");
    expect(sessionCookieName("http://localhost:3000")).toBe("authjs.session-token");
  });
});
