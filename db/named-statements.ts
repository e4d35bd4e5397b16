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
 * once (with any use of it in flight under the same name), and its next use, on any connection
 * of the pool, is prepared afresh under the new name. It is not retried at once: inside a
 * transaction, the transaction has already failed. A name is also renewed when Postgres says it
 * does not know it (26000: a pooler dropped it) and when the statement failed before Postgres
 * answered (a value pg could not send), which can leave pg believing a statement is prepared.
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
  /** `text`'s statement under `name` cannot be used again: its next use gets a new name (once per name). */
  renew(text: string, name: string): void;
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
    renew(text, name) {
      // Every use in flight under the old name fails alike; the first failure renews it.
      if (named.get(text) !== name) return;
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
      const sent = withName(namer, config, values, callback);
      if (sent === undefined) return query.call(this, config, values, callback);
      const renewIfUnusable = (err: unknown) => {
        if (err && isUnusable(err)) namer.renew(sent.text, sent.name);
      };
      // pg answers through the callback when given one (pg-pool's query does), else by a promise.
      if (typeof callback === "function")
        return query.call(this, sent.config, values, (err: unknown, result: unknown) => {
          renewIfUnusable(err);
          (callback as (err: unknown, result: unknown) => void)(err, result);
        });
      if (typeof values === "function")
        return query.call(this, sent.config, (err: unknown, result: unknown) => {
          renewIfUnusable(err);
          (values as (err: unknown, result: unknown) => void)(err, result);
        });
      return (query.call(this, sent.config, values) as Promise<unknown>).catch((err: unknown) => {
        renewIfUnusable(err);
        throw err;
      });
    },
    writable: true,
    configurable: true,
  });
  return NamingClient;
}

/**
 * Whether a named statement's failure means its name cannot be used again: a migration changed
 * what it returns (0A000 from RevalidateCachedQuery; the routine, not the message, which Postgres
 * translates), Postgres does not know the name (26000), or the failure is not Postgres's answer
 * at all (no severity: a value pg could not send, after which pg may believe the name prepared).
 */
function isUnusable(err: unknown): boolean {
  const e = err as { code?: unknown; routine?: unknown; severity?: unknown; message?: unknown };
  if (e.severity === undefined) return true;
  const stalePlan = e.routine === "RevalidateCachedQuery" || /cached plan must not change result type/.test(String(e.message));
  return e.code === "26000" || (e.code === "0A000" && stalePlan);
}

interface QueryConfigLike {
  text?: unknown;
  name?: unknown;
  values?: unknown;
  submit?: unknown;
  callback?: unknown;
}

/** What to send instead of `config`, named, or undefined to send it as it is. */
function withName(
  namer: StatementNamer,
  config: unknown,
  values: unknown,
  callback: unknown,
): { config: unknown; name: string; text: string } | undefined {
  // Anything pg would refuse or answer in its own way (a callback that is not a function) goes to it unchanged.
  if (callback !== undefined && typeof callback !== "function") return undefined;
  if (typeof config === "string") {
    if (!Array.isArray(values) || values.length === 0) return undefined;
    const name = namer.nameOf(config);
    return name === undefined ? undefined : { config: { text: config, name }, name, text: config };
  }
  if (typeof config !== "object" || config === null) return undefined;
  const c = config as QueryConfigLike;
  // A Submittable (a cursor, a stream), a config carrying its own callback (pg then returns
  // nothing to wrap) or an already named statement is left as it is.
  if (typeof c.submit === "function" || typeof c.callback === "function" || c.name || typeof c.text !== "string") return undefined;
  const parameters = Array.isArray(values) ? values : c.values;
  if (!Array.isArray(parameters) || parameters.length === 0) return undefined;
  const name = namer.nameOf(c.text);
  if (name === undefined) return undefined;
  // Copied as pg copies a config (its prototype and every property, getters included), plus the name.
  const named: unknown = Object.defineProperties(Object.create(Object.getPrototypeOf(c) as object | null), {
    ...Object.getOwnPropertyDescriptors(c),
    name: { value: name, enumerable: true, writable: true, configurable: true },
  });
  return { config: named, name, text: c.text };
}
