import type { ScimUserFilter } from "@/lib/membership/scim/list-scim-users";
import { ScimError } from "./errors";

const MAX_FILTER_LENGTH = 1000;
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:user:";
// attrPath SP "eq" SP compValue (RFC 7644 §3.4.2.2), the one form Okta and Entra send for lookups.
const COMPARISON = /^\s*([A-Za-z0-9:._-]+(?:\[\s*type\s+eq\s+"[^"]*"\s*\]\.value)?)\s+([A-Za-z]+)\s+("(?:[^"\\]|\\.)*"|true|false)\s*$/i;

const USER_FILTER = {
  pattern: COMPARISON,
  supported:
    'Supported filters: userName eq "…", externalId eq "…", emails[type eq "work"].value eq "…", emails.value eq "…", active eq true|false.',
};

/**
 * The one filter form served, `attrPath eq compValue`, split into the path as sent and the parsed
 * value; anything else is a 400 invalidFilter naming the supported subset, as `invalid` makes.
 */
export function parseComparison(
  raw: string,
  form: { pattern: RegExp; supported: string },
): { rawPath: string; value: unknown; invalid: (detail: string) => ScimError } {
  const invalid = (detail: string) => new ScimError(400, `${detail} ${form.supported}`, "invalidFilter");
  if (raw.length > MAX_FILTER_LENGTH) throw invalid(`A filter has at most ${MAX_FILTER_LENGTH} characters.`);
  const match = form.pattern.exec(raw);
  if (!match) throw invalid("This filter is not supported.");
  const [, rawPath = "", op = "", rawValue = ""] = match;
  if (op.toLowerCase() !== "eq") throw invalid(`The operator ${op} is not supported.`);
  try {
    return { rawPath, value: JSON.parse(rawValue) as unknown, invalid };
  } catch {
    throw invalid("The value is not a valid JSON string.");
  }
}

/**
 * Parses the /Users filter subset: one attribute compared with `eq` (attribute names and the
 * operator case-insensitive, as RFC 7644 says). Anything else is a 400 invalidFilter naming the subset.
 */
export function parseUserFilter(raw: string | null): ScimUserFilter | null {
  if (raw === null) return null;
  const { rawPath, value, invalid: invalidFilter } = parseComparison(raw, USER_FILTER);
  let path = rawPath.toLowerCase().replace(/\s+/g, " ");
  if (path.startsWith(CORE_USER)) path = path.slice(CORE_USER.length);
  switch (path) {
    case "username":
    case "externalid":
    case "emails.value":
    case 'emails[type eq "work"].value':
    case 'emails[ type eq "work" ].value': {
      if (typeof value !== "string") throw invalidFilter(`Compare ${rawPath} with a string.`);
      const attribute = path === "username" ? "userName" : path === "externalid" ? "externalId" : "email";
      return { attribute, value };
    }
    case "active":
      if (typeof value !== "boolean") throw invalidFilter("Compare active with true or false.");
      return { attribute: "active", value };
    default:
      throw invalidFilter(`Filtering on ${rawPath} is not supported.`);
  }
}
