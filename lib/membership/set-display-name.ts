import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { DomainError } from "./errors";
import { MAX_NAME_LENGTH } from "./names";
import type { Actor } from "./types";

/** Trims and checks a person's display name; refuses with a sentence a person can act on. */
export function validDisplayName(raw: unknown): string {
  const name = typeof raw === "string" ? raw.trim().replace(/\s+/g, " ") : "";
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
    throw new DomainError("INVALID", `A display name has 1 to ${MAX_NAME_LENGTH} characters.`, { name: [`1 to ${MAX_NAME_LENGTH} characters`] });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new DomainError("INVALID", "A display name cannot contain control characters.", { name: ["No control characters"] });
  return name;
}

/**
 * Sets the signed-in person's own display name (shown in lists and emails instead of "—"). It
 * touches only the actor's row, so the only guard is being signed in: no one sets another's name.
 */
export async function setDisplayName(db: Db, actor: Actor | null, input: { name: unknown }): Promise<{ name: string }> {
  const name = validDisplayName(input.name);
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  await db.update(users).set({ name }).where(eq(users.id, actor.id));
  return { name };
}
