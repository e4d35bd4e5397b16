/** Safe place to return to after sign-in: same-origin paths only. */
export function safeCallbackPath(value: string | null | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/orgs";
  return value.slice(0, 2000);
}
