import { CONTROL_CHARACTER, replaceEach } from "./characters";

export const MAX_INVITE_ADDRESSES = 50;
const MAX_EMAIL_LENGTH = 254;

// Deliberately plain: one @, a dot in the domain, no spaces or control characters.
const EMAIL_SHAPE =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Trims and lower-cases an address: the one form stored and compared. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Why an address is refused, or null when it is fine. Expects a normalized address. */
export function emailProblem(email: string): string | null {
  if (CONTROL_CHARACTER.test(email)) return "The address contains a control character";
  if (email.length === 0) return "The address is empty";
  if (email.length > MAX_EMAIL_LENGTH) return `The address is longer than ${MAX_EMAIL_LENGTH} characters`;
  if (!email.includes("@")) return "The address has no @";
  const [local = "", domain = ""] = email.split("@", 2);
  if (email.split("@").length > 2) return "The address has more than one @";
  if (local.length === 0) return "The address has nothing before the @";
  if (local.length > 64) return "The part before the @ is longer than 64 characters";
  if (!domain.includes(".")) return "The domain has no dot (for example example.com)";
  if (local.startsWith(".") || local.endsWith(".") || local.includes("..")) return "The address has a misplaced dot";
  if (!EMAIL_SHAPE.test(email)) return "The address contains characters that are not allowed";
  return null;
}

/** Splits pasted text on commas, semicolons, spaces and new lines. */
export function splitEmailList(text: string): string[] {
  return text.split(/[\s,;]+/u).filter((part) => part.length > 0);
}

export interface ParsedEmailList {
  /** Normalized, duplicates folded, in first-seen order. */
  valid: string[];
  invalid: { input: string; reason: string }[];
}

/** A refused entry as echoed back: shortened, and with each control character shown as U+FFFD. */
function shown(entry: string): string {
  const visible = replaceEach(entry, CONTROL_CHARACTER);
  return visible.length > 80 ? `${visible.slice(0, 77)}…` : visible;
}

/** Normalizes, folds duplicates and sorts addresses into valid and invalid. */
export function parseEmailList(entries: readonly string[]): ParsedEmailList {
  const seen = new Set<string>();
  const valid: string[] = [];
  const invalid: { input: string; reason: string }[] = [];
  for (const entry of entries.flatMap(splitEmailList)) {
    const email = normalizeEmail(entry);
    if (seen.has(email)) continue;
    seen.add(email);
    const problem = emailProblem(email);
    if (problem) invalid.push({ input: shown(entry), reason: problem });
    else valid.push(email);
  }
  return { valid, invalid };
}
