import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { sessions, users } from "@/db/schema";
import { SSO_SESSION_MAX_AGE_MS } from "@/lib/membership/sso/complete-sso-sign-in";
import type { Actor } from "@/lib/membership/types";

/** How long a session lasts unused (Auth.js's default, and what SSO sign-ins give), given to Auth.js from here. */
export const SESSION_MAX_AGE_SECONDS = SSO_SESSION_MAX_AGE_MS / 1000;
/** How long before a used session's expiry is moved on again (Auth.js's default), given to Auth.js from here. */
export const SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;
/** Longer than any token Auth.js makes (a UUID); a longer cookie matches no session. */
const MAX_TOKEN_LENGTH = 200;

/** A token as Auth.js (a UUID) and the SSO sign-in (base64url) make them. */
const PLAIN_TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * The session token in a request's Cookie header, where there is no doubt which it is: exactly one
 * cookie of that name, no chunks of it (`name.0`, ...), a plain value. Auth.js reads the first of
 * two cookies of one name and Next's `cookies()` the last, so a second one (which a sibling
 * subdomain can set) is left to Auth.js, as is anything else unusual. No such cookie: none.
 */
export function sessionTokenIn(cookieHeader: string | null, name: string): string | undefined | "ask Auth.js" {
  if (!cookieHeader) return undefined;
  const found: { name: string; value: string }[] = [];
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    if (key === name || key.startsWith(`${name}.`)) found.push({ name: key, value: eq < 0 ? "" : part.slice(eq + 1).trim() });
  }
  if (found.length === 0) return undefined;
  const [only] = found;
  if (found.length > 1 || only!.name !== name || !PLAIN_TOKEN.test(only!.value)) return "ask Auth.js";
  return only!.value;
}

/**
 * The person signed in with this session token, read in one statement, for the common case: a
 * session that exists, has not expired, and is not yet due to have its expiry moved on. Auth.js's
 * `auth()` answers the same case with the same read, plus work on every request (a request built,
 * its handler run, a response made and read back: about 8 ms of a page's first byte here). The
 * rest stays Auth.js's ("ask Auth.js"): it deletes an expired session and moves a due one's
 * expiry on, once a day. No token, or one no session has: nobody, as Auth.js would answer.
 */
export async function readSessionActor(db: Db, token: string | undefined, now: Date = new Date()): Promise<Actor | null | "ask Auth.js"> {
  // Postgres text cannot hold NUL (the driver would fail); no session has such a token.
  if (!token || token.length > MAX_TOKEN_LENGTH || token.includes("\u0000")) return null;
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, expires: sessions.expires })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.sessionToken, token))
    .limit(1);
  const row = rows[0];
  if (!row) return null;
  // Due for renewal a day after the last one; every expired session is long due (a day is less
  // than the lifetime), so this also leaves expired sessions to Auth.js.
  const renewalDue = row.expires.valueOf() - SESSION_MAX_AGE_SECONDS * 1000 + SESSION_UPDATE_AGE_SECONDS * 1000;
  if (renewalDue <= now.valueOf()) return "ask Auth.js";
  return { id: row.id, email: row.email.toLowerCase(), name: row.name ?? null };
}
