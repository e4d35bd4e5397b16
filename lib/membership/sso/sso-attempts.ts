import "server-only";
import type { Db } from "@/db/client";
import { ssoAttempts } from "@/db/schema";
import { and, eq, gt } from "drizzle-orm";
import { createHash, randomBytes } from "node:crypto";
import { openLink, sealContext, sealLink } from "@/lib/email/sealed";
import { safeCallbackPath } from "@/lib/auth/callback-path";

/** How long a person has at the identity provider before the attempt is forgotten. */
export const SSO_ATTEMPT_TTL_MS = 10 * 60 * 1000;

export type SsoPurpose = "sign_in" | "test";

export interface SsoAttempt {
  connectionId: string;
  purpose: SsoPurpose;
  /** A same-site path to land on after signing in. */
  callbackPath: string;
  /** "Test connection": the Owner who started it. */
  startedById: string | null;
  codeVerifier: string | null;
  nonce: string | null;
  samlRequestId: string | null;
}

const hashState = (state: string) => createHash("sha256").update(state).digest("base64url");
const verifierContext = (connectionId: string) => sealContext("sso-pkce", connectionId);

/** A fresh random state (OIDC `state`, SAML RelayState): 32 bytes, base64url. */
export function newSsoState(): string {
  return randomBytes(32).toString("base64url");
}

/** Remembers an attempt under its state (stored hashed; the PKCE verifier sealed) for ten minutes. */
export async function beginSsoAttempt(
  db: Db,
  state: string,
  input: Partial<Omit<SsoAttempt, "connectionId" | "purpose">> & Pick<SsoAttempt, "connectionId" | "purpose">,
  now = new Date(),
): Promise<void> {
  await db.insert(ssoAttempts).values({
    stateHash: hashState(state),
    connectionId: input.connectionId,
    purpose: input.purpose,
    callbackPath: safeCallbackPath(input.callbackPath ?? "/orgs"),
    startedById: input.startedById ?? null,
    codeVerifierSealed: input.codeVerifier ? sealLink(input.codeVerifier, verifierContext(input.connectionId)) : null,
    nonce: input.nonce ?? null,
    samlRequestId: input.samlRequestId ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SSO_ATTEMPT_TTL_MS),
  });
}

/**
 * Takes the attempt a state names, once: the row is deleted in the same statement, so a second
 * answer with the same state (on any instance) finds nothing. Null when unknown, expired, or made
 * for another connection.
 */
export async function takeSsoAttempt(db: Db, state: string, connectionId: string, now = new Date()): Promise<SsoAttempt | null> {
  if (typeof state !== "string" || state.length < 16 || state.length > 200) return null;
  const [row] = await db
    .delete(ssoAttempts)
    .where(and(eq(ssoAttempts.stateHash, hashState(state)), eq(ssoAttempts.connectionId, connectionId), gt(ssoAttempts.expiresAt, now)))
    .returning();
  if (!row) return null;
  return {
    connectionId: row.connectionId,
    purpose: row.purpose,
    callbackPath: row.callbackPath,
    startedById: row.startedById,
    codeVerifier: row.codeVerifierSealed ? openLink(row.codeVerifierSealed, verifierContext(row.connectionId)) : null,
    nonce: row.nonce,
    samlRequestId: row.samlRequestId,
  };
}
