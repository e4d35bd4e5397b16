import type { ProjectRole } from "./roles";

/**
 * What an API key was given. A key acts as its creator (`Actor.id`), read fresh on every call,
 * and the guards cap that standing to the grant: never more than the creator has now.
 */
export interface ApiKeyGrant {
  id: string;
  name: string;
  orgId: string;
  scope: "organization" | "projects";
  /** Project id → the role the key holds there (projects scope only). */
  projects: Readonly<Record<string, ProjectRole>>;
}

/** The signed-in person doing something, or an API key acting for its creator. Emails are stored lower-cased. */
export interface Actor {
  id: string;
  email: string;
  name?: string | null;
  apiKey?: ApiKeyGrant;
}

/** Options every verb accepts; `now` is injectable so tests can move the clock. */
export interface VerbOptions {
  now?: Date;
}

export const PAGE_SIZE = 50;

/**
 * A search, or a list without a maintained counter, is counted only up to this many rows, so a
 * view costs what one page costs; beyond it the total reads "1,000+".
 */
export const LIST_COUNT_CAP = 1_000;

/** One page of a list, reached by cursors (lib/membership/keyset.ts), never by a page number. */
export interface Page<T> {
  items: T[];
  /** How many rows the list holds: exact, or the cap when `capped` is set. */
  total: number;
  /** Set when the list was counted only up to `total` and holds more ("1,000+"). */
  capped?: true;
  /** 0-based position of the first item, as counted while paging from the start (for "51–100"). */
  start: number;
  /** The cursor of the page after this one; null on the last page. */
  next: string | null;
  /** The cursor of the page before this one; null on the first page. */
  prev: string | null;
  pageSize: number;
}
