import { z } from "zod";
import { CONTROL_CHARACTER, LINE_SEPARATOR, TEXT_DIRECTION_CHARACTER } from "./characters";
import { DomainError } from "./errors";

export const MAX_NAME_LENGTH = 80;

/** Longest raw input read before trimming; longer is refused with the length sentence. */
const MAX_NAME_INPUT = 200;

// Something a person can see and read back: a letter, number, symbol or punctuation mark, once
// the letters and symbols that draw nothing (Hangul fillers, the Braille blank) and the
// zero-width characters are set aside. Zero-width joiners stay allowed inside a visible name:
// emoji and several scripts need them.
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;
const DRAWS_NOTHING = /[\u00ad\u180e\u200b-\u200d\u2060-\u2064\u2800\u3164\ufeff\uffa0]|\u034f|\u115f|\u1160/gu;

export type NameKind = "organization" | "project" | "key" | "display" | "connection" | "token";

const ENTER: Record<NameKind, string> = {
  organization: "Enter an organization name",
  project: "Enter a project name",
  key: "Enter a name for the key",
  display: "Enter a display name",
  connection: "Enter a name for the connection",
  token: "Enter a name for the token",
};

const LABEL: Record<NameKind, string> = {
  organization: "An organization name",
  project: "A project name",
  key: "A key name",
  display: "A display name",
  connection: "A connection name",
  token: "A token name",
};

/** The rule in words, for forms and the API reference. */
export const NAME_RULE =
  `1 to ${MAX_NAME_LENGTH} characters after trimming, at least one of them a letter, number, symbol or punctuation mark; ` +
  "no control or text-direction characters.";

/** Why a trimmed name breaks the rule, as a sentence and a short field error; null when it is fine. */
export function nameProblem(name: string, kind: NameKind): { message: string; field: string } | null {
  const Label = LABEL[kind];
  if (name.length < 1 || name.length > MAX_NAME_LENGTH)
    return { message: `${Label} has 1 to ${MAX_NAME_LENGTH} characters.`, field: `1 to ${MAX_NAME_LENGTH} characters` };
  if (CONTROL_CHARACTER.test(name) || LINE_SEPARATOR.test(name))
    return { message: `${Label} cannot contain control characters or line breaks.`, field: "No control characters" };
  if (TEXT_DIRECTION_CHARACTER.test(name))
    return { message: `${Label} cannot contain text-direction characters (such as U+202E).`, field: "No text-direction characters" };
  if (!VISIBLE.test(name.replace(DRAWS_NOTHING, "")))
    return { message: `${Label} needs at least one letter, number or symbol that can be seen.`, field: "At least one visible character" };
  return null;
}

/**
 * Trims and checks an organization, project, key or display name; refuses with a sentence naming
 * the field. A display name's runs of spaces also become one space (a tab or a line break is a
 * control character, refused like anywhere else).
 */
export function validName(raw: unknown, kind: NameKind): string {
  const trimmed = typeof raw === "string" ? raw.trim() : "";
  const name = kind === "display" ? trimmed.replace(/ {2,}/g, " ") : trimmed;
  const problem = nameProblem(name, kind);
  if (problem) throw new DomainError("INVALID", problem.message, { name: [problem.field] });
  return name;
}

/** The same rule as a zod string, for server actions and the API: the value is trimmed, the refusal is the rule's sentence. */
export function zName(kind: NameKind) {
  const tooLong = `${LABEL[kind]} has 1 to ${MAX_NAME_LENGTH} characters.`;
  return z
    .string({ message: ENTER[kind] })
    .max(MAX_NAME_INPUT, tooLong)
    .trim()
    .superRefine((name, ctx) => {
      const problem = nameProblem(kind === "display" ? name.replace(/ {2,}/g, " ") : name, kind);
      if (problem) ctx.addIssue({ code: "custom", message: problem.message });
    })
    .describe(NAME_RULE);
}
