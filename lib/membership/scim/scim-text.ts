import { CONTROL_CHARACTER, LINE_SEPARATOR, TEXT_DIRECTION_CHARACTER } from "../characters";
import { DomainError } from "../errors";

const MAX_TEXT = 254;

/** A refusal of one SCIM attribute, named as the identity provider sent it. */
export const invalidScimValue = (field: string, message: string) => new DomainError("INVALID", message, { [field]: [message] });

/** Trims one text attribute of a SCIM User or Group and checks its length and characters; null when absent and optional. */
export function scimText(value: string | null, field: string, required: boolean): string | null {
  const trimmed = value?.trim() ?? "";
  if (trimmed.length === 0) {
    if (required) throw invalidScimValue(field, `${field} is required.`);
    return null;
  }
  if (trimmed.length > MAX_TEXT) throw invalidScimValue(field, `${field} has at most ${MAX_TEXT} characters.`);
  if (CONTROL_CHARACTER.test(trimmed) || LINE_SEPARATOR.test(trimmed) || TEXT_DIRECTION_CHARACTER.test(trimmed))
    throw invalidScimValue(field, `${field} cannot contain control or text-direction characters.`);
  return trimmed;
}
