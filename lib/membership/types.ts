/** The signed-in person doing something. Emails are stored lower-cased. */
export interface Actor {
  id: string;
  email: string;
  name?: string | null;
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
