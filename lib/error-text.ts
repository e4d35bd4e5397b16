/**
 * An error as text fit for a log or a stored `last_error`. Drizzle writes a failed query's
 * parameters into its message and stack ("params: …"), and those may be the very values the
 * failure was about: an answer holding an invitation link, an email's rendered text. Only the
 * statement (placeholders, never values), the driver's reason and, for a log, the error's name and
 * stack frames are kept; any other error reads as its message, as before.
 */
export function errorText(err: unknown, options: { stack?: boolean } = {}): string {
  if (!(err instanceof Error)) return typeof err === "string" ? err : "A non-Error value was thrown";
  const message = err.message.replace(/\n?params: [\s\S]*$/, "");
  const cause = message !== err.message && err.cause instanceof Error ? err.cause : null;
  const driverCode: unknown = cause && "code" in cause ? cause.code : undefined;
  const because = cause ? ` (caused by ${cause.name}${typeof driverCode === "string" ? ` ${driverCode}` : ""}: ${cause.message})` : "";
  if (!options.stack) return `${message}${because}`;
  // Frames only from after the message: a value in the message could itself hold a line shaped like one.
  const stack = err.stack ?? "";
  const head = stack.indexOf(err.message);
  const frames = (head >= 0 ? stack.slice(head + err.message.length) : stack).split("\n").filter((line) => /^\s+at /.test(line));
  return [`${err.name}: ${message}${because}`, ...frames].join("\n");
}
