import { ORG_ROLES, PROJECT_ROLES, type OrgRole, type ProjectRole } from "./roles";

/** What a list may be narrowed to: a search text and a role; both optional. */
export interface ListFilter {
  q?: string;
  role?: string;
}

export const SEARCH_MAX_LENGTH = 200;

/** Cleans a typed search: trimmed, lower-cased, control characters dropped, bounded; "" means no search. */
export function searchText(q: unknown): string {
  if (typeof q !== "string") return "";
  return (
    q
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, "")
      .trim()
      .toLowerCase()
      .slice(0, SEARCH_MAX_LENGTH)
  );
}

/**
 * A LIKE pattern matching values that start with the search, taken literally. Prefix, not
 * substring: a btree `text_pattern_ops` index answers it on 100,000 rows without extensions.
 */
export function prefixPattern(text: string): string {
  return `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A project role from the client, or undefined when it is not one (an unknown role filters nothing out). */
export function projectRoleFilter(role: unknown): ProjectRole | undefined {
  return typeof role === "string" && (PROJECT_ROLES as readonly string[]).includes(role) ? (role as ProjectRole) : undefined;
}

/** An organization role from the client, or undefined when it is not one. */
export function orgRoleFilter(role: unknown): OrgRole | undefined {
  return typeof role === "string" && (ORG_ROLES as readonly string[]).includes(role) ? (role as OrgRole) : undefined;
}

/** A LIKE pattern matching values that contain the search anywhere, taken literally (the organization users page). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
