/**
 * The characters people may not put into names and addresses, defined once: the name rule, the
 * address parser and the sentences that show stored names all test against these.
 */

// C0, DEL and C1 controls: not safe to print or store as they came (Postgres text cannot even hold NUL).
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/u;

// The line and paragraph separators, which break a line wherever a name is shown.
export const LINE_SEPARATOR = /[\u2028\u2029]/u;

// Marks, embeddings, overrides and isolates: they reorder the text around a name (an owner
// reading "txt.exe" for "exe.txt", or a sentence turned around after it).
export const TEXT_DIRECTION_CHARACTER = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Every match of `pattern` in `text` replaced by U+FFFD, so what is shown cannot act. */
export const replaceEach = (text: string, pattern: RegExp) => text.replace(new RegExp(pattern.source, "gu"), "\ufffd");
