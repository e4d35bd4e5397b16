import { createHash } from "node:crypto";
import pg from "pg";

/**
 * Named statements on the Postgres server: the statements the app sends again and again are
 * parsed and planned once per connection instead of once per use.
 *
 * node-postgres sends every statement unnamed, so Postgres parses, analyzes and plans it each
 * time; for the short statements of a page that is most of their cost. A statement with a name
 * is prepared the first time a connection sends it and only bound and executed after that.
 *
 * The set stays bounded, because every name lives on every connection of the pool until it
 * closes: a text is named the second time this pool sees it (a statement sent once, such as an
 * `in` list of an unusual length, stays unnamed), and at most `limit` texts are ever named;
 * later texts go unnamed. The name is a hash of the text, so a name always means one text.
 * Statements without parameters (BEGIN, COMMIT, set-up SQL) are sent as they were: naming them
 * would move them to the extended protocol, which takes one statement per text.
 *
 * A named statement's plan is kept by Postgres and made again when a table it reads changes
 * (a migration): it keeps working unless the types of the columns it returns change, which the
 * code sending it would not survive either.
 */
export interface NamingOptions {
  /** How many texts may be named at most (per pool, so per connection). */
  limit?: number;
  /** The how-manieth sight of a text names it. */
  after?: number;
}

export type StatementNamer = (text: string) => string | undefined;

/** The counting that decides which texts get a name; one per pool. */
export function statementNamer({ limit = 100, after = 2 }: NamingOptions = {}): StatementNamer {
  const named = new Map<string, string>();
  const seen = new Map<string, number>();
  return (text) => {
    const name = named.get(text);
    if (name !== undefined || named.size >= limit) return name;
    const sightings = (seen.get(text) ?? 0) + 1;
    if (sightings < after) {
      // Texts seen once are forgotten in bulk, so that counting them stays bounded too.
      if (seen.size >= limit * 20) seen.clear();
      seen.set(text, sightings);
      return undefined;
    }
    seen.delete(text);
    const given = `mc_${createHash("sha256").update(text).digest("base64url").slice(0, 24)}`;
    named.set(text, given);
    return given;
  };
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown;
  submit?: unknown;
}

/** A pg Client class whose statements with parameters are named by `namer`. */
export function namingClient(namer: StatementNamer): typeof pg.Client {
  class NamingClient extends pg.Client {}
  Object.defineProperty(NamingClient.prototype, "query", {
    value(this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
      // pg's own query, looked up at each call (so that what wraps it, a test's spy, sees the statement).
      const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
      return query.call(this, withName(namer, config, values), values, callback);
    },
    writable: true,
    configurable: true,
  });
  return NamingClient;
}

function withName(namer: StatementNamer, config: unknown, values: unknown): unknown {
  if (typeof config === "string") {
    if (!Array.isArray(values) || values.length === 0) return config;
    const name = namer(config);
    return name === undefined ? config : { text: config, name };
  }
  if (typeof config !== "object" || config === null) return config;
  const c = config as QueryConfigLike;
  // A Submittable (a cursor, a stream) or an already named statement is left as it is.
  if (typeof c.submit === "function" || c.name || typeof c.text !== "string") return config;
  const parameters = Array.isArray(values) ? values : c.values;
  if (!Array.isArray(parameters) || parameters.length === 0) return config;
  const name = namer(c.text);
  return name === undefined ? config : { ...c, name };
}
