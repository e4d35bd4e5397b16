import "server-only";
import type { Db } from "@/db/client";
import { inTransaction } from "./transaction";
import type { Actor, VerbOptions } from "./types";

/** The call every domain verb answers: the database, who acts (null when signed out), what they ask, options. */
export type Verb<Input, Result, A = Actor, Options extends VerbOptions = VerbOptions> = (
  db: Db,
  actor: A | null,
  input: Input,
  options?: Options,
) => Promise<Result>;

/** The body of a verb: its database (or transaction), who acts, what they ask, and the time it runs at. */
type VerbBody<Input, Result, A> = (db: Db, actor: A | null, input: Input, now: Date) => Promise<Result>;

/**
 * A verb whose whole body runs in one transaction, retried when Postgres aborts it for a
 * serialization failure or a deadlock; `now` is read once, before the first attempt, so a retry
 * writes the same time.
 */
export function transactionalVerb<Input, Result, A = Actor>(body: VerbBody<Input, Result, A>): Verb<Input, Result, A> {
  return (db, actor, input, options = {}) => {
    const now = options.now ?? new Date();
    return inTransaction(db, (tx) => body(tx, actor, input, now));
  };
}

/**
 * A verb that runs its statements on the database it is given: a read, or a verb that does work
 * outside any transaction (a DNS lookup) before it opens its own.
 */
export function verb<Input, Result, A = Actor>(body: VerbBody<Input, Result, A>): Verb<Input, Result, A> {
  return async (db, actor, input, options = {}) => body(db, actor, input, options.now ?? new Date());
}
