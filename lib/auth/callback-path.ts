/**
 * Safe place to return to after sign-in: a path on this site, never another origin. Parsing (not
 * prefix checks) is what browsers do too, so "/\t/evil.example" and "/\\evil" cannot slip through.
 */
export function safeCallbackPath(value: string | null | undefined): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return "/orgs";
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!value.startsWith("/") || /[\s\\\u0000-\u001f\u007f]/.test(value)) return "/orgs";
  try {
    const base = "http://same.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return "/orgs";
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Dot segments collapse while parsing ("/.//evil" becomes "//evil"): check the result too.
    return path.startsWith("//") || path.startsWith("/\\") ? "/orgs" : path;
  } catch {
    return "/orgs";
  }
}
