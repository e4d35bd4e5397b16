import "server-only";
import type { Db } from "@/db/client";
import { invitations, projects } from "@/db/schema";
import { asc, eq, inArray } from "drizzle-orm";
import { normalizeEmail } from "../email-list";
import { DomainError } from "../errors";
import { hashInvitationToken, isWellFormedToken } from "../tokens";
import type { Actor } from "../types";
import { loadGrants } from "./invitation-grants";
import { isExpired } from "./invitation-rules";
export const invalidLink = () => new DomainError("NOT_FOUND", "This invitation link is not valid.");

export async function findByToken(db: Db, token: string, lock: boolean) {
  if (!isWellFormedToken(token)) return null;
  const query = db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, hashInvitationToken(token)));
  const rows = lock ? await query.for("update") : await query;
  return rows[0] ?? null;
}

/**
 * Loads the invitation for the viewer under a row lock and refuses every state but "yours and
 * pending". The granted projects are locked (FOR KEY SHARE, by id) before the invitation, as every
 * other verb locks a project before its invitations: answering writes rows that point at those
 * projects, and a deletion holding a project FOR UPDATE while it revokes the invitation would
 * otherwise deadlock with an answer holding the invitation while it waits for the project.
 */
export async function lockForInvitee(tx: Db, actor: Actor | null, token: string, now: Date) {
  if (!actor) throw new DomainError("UNAUTHENTICATED", "Sign in with the invited email address to answer this invitation.");
  const seen = await findByToken(tx, token, false);
  if (!seen) throw invalidLink();
  const granted = [...new Set(((await loadGrants(tx, [seen.id])).get(seen.id) ?? []).map((g) => g.projectId))].sort();
  if (granted.length > 0)
    await tx.select({ id: projects.id }).from(projects).where(inArray(projects.id, granted)).orderBy(asc(projects.id)).for("key share");
  const invitation = await findByToken(tx, token, true);
  if (!invitation) throw invalidLink();
  if (normalizeEmail(actor.email) !== invitation.email) {
    throw new DomainError("FORBIDDEN", `This invitation was sent to ${invitation.email}. Sign in as that address to answer it.`);
  }
  return { invitation, isExpiredNow: isExpired(invitation.expiresAt, now) };
}
