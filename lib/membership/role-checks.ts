import { DomainError } from "./errors";
import { ORG_ROLES, PROJECT_ROLES, type OrgRole, type ProjectRole } from "./roles";

/** Refuses a project role that is none of the three (a forged form or API body), before anything is read. */
export function assertProjectRole(role: string): asserts role is ProjectRole {
  if (!PROJECT_ROLES.includes(role as ProjectRole))
    throw new DomainError("INVALID", "Choose Project Admin, Project Read-Write or Project Read-Only.", { role: ["Unknown role"] });
}

/** Refuses an organization role that is neither of the two. */
export function assertOrgRole(role: string): asserts role is OrgRole {
  if (!ORG_ROLES.includes(role as OrgRole))
    throw new DomainError("INVALID", "Choose Organization Owner or Organization Member.", { role: ["Unknown role"] });
}
