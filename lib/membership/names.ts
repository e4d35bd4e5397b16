import { DomainError } from "./errors";

export const MAX_NAME_LENGTH = 80;

/** Trims and checks an organization or project name; refuses with a sentence naming the field. */
export function validName(raw: unknown, what: "project" | "organization"): string {
  const name = typeof raw === "string" ? raw.trim() : "";
  const Label = what === "project" ? "A project name" : "An organization name";
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
    throw new DomainError("INVALID", `${Label} has 1 to ${MAX_NAME_LENGTH} characters.`, { name: [`1 to ${MAX_NAME_LENGTH} characters`] });
  }
  // Postgres text cannot hold NUL, and no control character belongs in a name people read.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new DomainError("INVALID", `${Label} cannot contain control characters.`, { name: ["No control characters"] });
  return name;
}
