import "server-only";
import { randomBytes } from "node:crypto";
import type { orgDomains } from "@/db/schema";
import { DomainError } from "../errors";

export type DomainRow = typeof orgDomains.$inferSelect;

/** How many domains one organization may hold, in any status. */
export const MAX_DOMAINS_PER_ORGANIZATION = 20;
export const TOKEN_PREFIX = "mc-domain-verification=";
const MINUTE = 60_000;
/** A pending domain is looked up this often… */
export const PENDING_RECHECK_MS = 10 * MINUTE;
/** …for this long after it was claimed, then it fails ("Not verified within 7 days"). */
export const PENDING_WINDOW_MS = 7 * 24 * 60 * MINUTE;
/** A verified domain is looked up again this often. */
export const VERIFIED_RECHECK_MS = 24 * 60 * MINUTE;
/** After a DNS failure that proves nothing (timeout, SERVFAIL), a verified domain is tried again this soon. */
export const ERROR_RECHECK_MS = 60 * MINUTE;

/** The value of the TXT record an Owner adds: public by design, unguessable so it proves control now. */
export function newVerificationToken(): string {
  return TOKEN_PREFIX + randomBytes(24).toString("base64url");
}

/** A domain as the Owner's page and the HTTP API show it. */
export interface DomainSummary {
  id: string;
  domain: string;
  status: "pending" | "verified" | "failed";
  /** Why the last check did not verify it (or could not run), in words; null when it did. */
  failure: string | null;
  /** The TXT record to add: its name is the domain itself, its value the token. */
  record: { type: "TXT"; name: string; value: string };
  verifiedAt: Date | null;
  lastCheckedAt: Date | null;
  /** When a scheduled check looks at it next; null once failed (only "Check now" looks again). */
  nextCheckAt: Date | null;
  createdAt: Date;
}

export function toSummary(row: DomainRow): DomainSummary {
  return {
    id: row.id,
    domain: row.domain,
    status: row.status,
    failure: row.failure,
    record: { type: "TXT", name: row.domain, value: row.verificationToken },
    verifiedAt: row.verifiedAt,
    lastCheckedAt: row.lastCheckedAt,
    nextCheckAt: row.status === "failed" ? null : row.nextCheckAt,
    createdAt: row.createdAt,
  };
}

export const domainNotFound = () => new DomainError("NOT_FOUND", "This domain was not found in this organization.");

/** Never names the organization that holds it: whether a company uses the console is its own business. */
export const verifiedElsewhere = (domain: string) =>
  new DomainError("CONFLICT", `${domain} is already verified by another organization. A domain belongs to one organization at a time.`);
