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
  page: number;
  pageSize: number;
}
