/** A count in words, "100,000" (server and client alike, whatever the locale). */
export const number = (n: number) => n.toLocaleString("en-US");

/** A list's total in words: "100,000", or "1,000+" when it was counted only that far. */
export function totalWords(total: number, capped?: boolean): string {
  return `${number(total)}${capped ? "+" : ""}`;
}
