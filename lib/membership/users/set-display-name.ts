import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { DomainError } from "../errors";
import { validName } from "../names";
import type { Actor } from "../types";

/**
 * Sets the signed-in person's own display name (shown in lists and emails instead of "—"). It
 * touches only the actor's row, so the only guard is being signed in: no one sets another's name.
 */
export async function setDisplayName(db: Db, actor: Actor | null, input: { name: unknown }): Promise<{ name: string }> {
  const name = validName(input.name, "display");
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in to continue.");
  await db.update(users).set({ name }).where(eq(users.id, actor.id));
  return { name };
}
