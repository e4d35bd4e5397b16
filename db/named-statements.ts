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
 * (a migration). When the migration changes the type of a column the statement returns (a
 * `varchar` widened to `text`), Postgres refuses the statement from then on ("cached plan must
 * not change result type", 0A000), on every connection that prepared it, where the same text
 * unnamed would simply run. So that refusal renews the text's name: the statement fails that
 * once (with any use of it in flight), and its next use, on any connection of the pool, is
 * prepared afresh under the new name. It is not retried at once: inside a transaction, the
 * transaction has already failed.
 */
export interface NamingOptions {
  /** How many texts may be named at most (per pool, so per connection). */
  limit?: number;
  /** The how-manieth sight of a text names it. */
  after?: number;
}

export interface StatementNamer {
  /** The name to send `text` under, or undefined to send it unnamed. */
  nameOf(text: string): string | undefined;
  /** Postgres refused `text`'s prepared statement as stale: its next use gets a new name. */
  renew(text: string): void;
}

/** The counting that decides which texts get a name; one per pool. */
export function statementNamer({ limit = 100, after = 2 }: NamingOptions = {}): StatementNamer {
  const named = new Map<string, string>();
  const seen = new Map<string, number>();
  const renewals = new Map<string, number>();
  const hashOf = (text: string) => createHash("sha256").update(text).digest("base64url").slice(0, 24);
  return {
    nameOf(text) {
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
      const given = `mc_${hashOf(text)}`;
      named.set(text, given);
      return given;
    },
    renew(text) {
      if (!named.has(text)) return;
      const renewal = (renewals.get(text) ?? 0) + 1;
      renewals.set(text, renewal);
      named.set(text, `mc_${hashOf(text)}_${renewal}`);
    },
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
      const sent = withName(namer, config, values);
      if (sent.name === undefined) return query.call(this, config, values, callback);
      const { text } = sent;
      const renewIfStale = (err: unknown) => {
        if (isStalePlan(err)) namer.renew(text);
      };
      // pg answers through the callback when given one (pg-pool's query does), else by a promise.
      if (typeof callback === "function")
        return query.call(this, sent.config, values, (err: unknown, result: unknown) => {
          renewIfStale(err);
          (callback as (err: unknown, result: unknown) => void)(err, result);
        });
      if (typeof values === "function")
        return query.call(this, sent.config, (err: unknown, result: unknown) => {
          renewIfStale(err);
          (values as (err: unknown, result: unknown) => void)(err, result);
        });
      return (query.call(this, sent.config, values) as Promise<unknown>).catch((err: unknown) => {
        renewIfStale(err);
        throw err;
      });
    },
    writable: true,
    configurable: true,
  });
  return NamingClient;
}

/** "cached plan must not change result type": a migration changed what the prepared statement returns. */
function isStalePlan(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    (err as { code?: unknown }).code === "0A000" &&
    /cached plan must not change result type/.test(String((err as { message?: unknown }).message))
  );
}

/** The config to send: named when the text has parameters and the namer gives it a name. */
function withName(namer: StatementNamer, config: unknown, values: unknown): { config: unknown; name?: string; text: string } {
  const unnamed = { config, text: "" };
  if (typeof config === "string") {
    if (!Array.isArray(values) || values.length === 0) return unnamed;
    const name = namer.nameOf(config);
    return name === undefined ? unnamed : { config: { text: config, name }, name, text: config };
  }
  if (typeof config !== "object" || config === null) return unnamed;
  const c = config as QueryConfigLike;
  // A Submittable (a cursor, a stream) or an already named statement is left as it is.
  if (typeof c.submit === "function" || c.name || typeof c.text !== "string") return unnamed;
  const parameters = Array.isArray(values) ? values : c.values;
  if (!Array.isArray(parameters) || parameters.length === 0) return unnamed;
  const name = namer.nameOf(c.text);
  return name === undefined ? unnamed : { config: { ...c, name }, name, text: c.text };
}
