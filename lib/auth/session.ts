import { headers } from "next/headers";
import { cache } from "react";
import { redirect } from "next/navigation";
import type { Actor } from "@/lib/membership/types";
import { getDb } from "@/lib/server/database";
import { auth } from "./auth";
import { readSessionActor, sessionTokenIn } from "./database-session";
import { sessionCookieName } from "./session-cookie";
import { safeCallbackPath } from "./callback-path";

export { safeCallbackPath };

/**
 * The signed-in user, read from the database session once per request (the layout and the page
 * share the read: React's cache lasts one server request), or null. A valid session not yet due
 * for renewal is read in one statement (`readSessionActor`); Auth.js answers everything else.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const token = sessionTokenIn((await headers()).get("cookie"), sessionCookieName());
  const read = token === "ask Auth.js" ? token : await readSessionActor(getDb(), token);
  if (read !== "ask Auth.js") return read;
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email.toLowerCase(), name: user.name ?? null };
});

/** The signed-in user; a signed-out visitor goes to /sign-in and comes back here afterwards. */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (actor) return actor;
  const path = (await headers()).get("x-pathname");
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(safeCallbackPath(path))}`);
}
