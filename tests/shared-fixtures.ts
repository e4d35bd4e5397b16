import { createHash, randomBytes } from "node:crypto";

/**
 * What the vitest suites (tests/) and the Playwright specs (e2e/) both make, written once. Plain
 * Node only: no vitest, no database, and no module that imports "server-only" (it throws when
 * Playwright imports it).
 */

/** A short random tag: every email, organization and project name of a fixture carries one. */
export function freshTag(): string {
  return randomBytes(5).toString("hex");
}

/** A unique, already-normalized address under the fixture's own domain. */
export function uniqueEmail(label: string, tag = freshTag()): string {
  return `${label.toLowerCase()}.${randomBytes(3).toString("hex")}@${tag}.example.test`;
}

/** The API keys every key-by-key test uses, by what they may reach (tests/api/helpers.ts makes them). */
export const KEY_KINDS = [
  "owner",
  "adminOfOtherProject",
  "readOnly",
  "revoked",
  "expired",
  "otherOrganization",
  "none",
  "malformed",
] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/**
 * An invitation token as the domain issues one (32 random bytes, base64url) with its SHA-256
 * (base64url), the only form the database holds: lib/membership/tokens.ts's rule, written out here
 * because that module is server-only; tests/shared-fixtures.test.ts checks the two agree.
 */
export function invitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: createHash("sha256").update(token, "utf8").digest("base64url") };
}

/**
 * A SCIM token as the SSO page issues one ("mcs_" and 32 random bytes, base64url) with its SHA-256
 * (hex), the only form the database holds: lib/membership/scim/scim-token-rules.ts's rule, written
 * out here for the same reason; tests/shared-fixtures.test.ts checks the two agree.
 */
export function scimToken(): { token: string; tokenHash: string } {
  const token = "mcs_" + randomBytes(32).toString("base64url");
  return { token, tokenHash: createHash("sha256").update(token, "utf8").digest("hex") };
}
