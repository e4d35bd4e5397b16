/**
 * An unexpected error as it may be written to a log: its kind, the database's code and message,
 * the failed statement's text and where it was thrown, but never the statement's parameters.
 * Drizzle puts the parameters into its error message, and they can hold secrets (a sealed link
 * on its way into the outbox, a stored replay of an answer carrying a link): no log line is
 * allowed to carry those.
 */
export function loggableError(err: unknown): string {
  if (!(err instanceof Error)) return `non-error thrown: ${typeof err}`;
  const strip = (text: string) => text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, "\nparams: [withheld]");
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const causeText = cause && typeof cause === "object" ? ` (cause: ${typeof cause.code === "string" ? `${cause.code} ` : ""}${typeof cause.message === "string" ? strip(cause.message) : ""})` : "";
  return `${strip(err.stack ?? `${err.name}: ${err.message}`)}${causeText}`;
}
