export const ORG_ROLES = ["owner", "member"] as const;
export const PROJECT_ROLES = ["admin", "read_write", "read_only"] as const;

export type OrgRole = (typeof ORG_ROLES)[number];
export type ProjectRole = (typeof PROJECT_ROLES)[number];

/** The project roles an API key may hold. */
export const API_KEY_ROLES = ["admin", "read_only"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** What a role change answers: the role held before and the one asked for (the same when nothing changed). */
export interface RoleChange<Role extends OrgRole | ProjectRole> {
  oldRole: Role;
  role: Role;
}

export const ROLE_LABELS: Record<OrgRole | ProjectRole, string> = {
  owner: "Organization Owner",
  member: "Organization Member",
  admin: "Project Admin",
  read_write: "Project Read-Write",
  read_only: "Project Read-Only",
};

/** The words people see for a role id. */
export function roleLabel(role: OrgRole | ProjectRole): string {
  return ROLE_LABELS[role];
}
