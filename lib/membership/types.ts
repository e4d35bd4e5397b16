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

export interface Page<T> {
  items: T[];
  total: number;
  /** Set when the list was counted only up to `total` and holds more ("10,000+"). */
  capped?: true;
  page: number;
  pageSize: number;
}
