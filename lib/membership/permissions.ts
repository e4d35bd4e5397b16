import type { OrgRole, ProjectRole } from "./roles";

/** Everything a person can do on a project; every domain verb names one of these. */
export type ProjectAction =
  | "project.view"
  | "invitations.view"
  | "activity.view"
  | "members.invite"
  | "invitations.manage"
  | "members.editRole"
  | "members.remove"
  | "project.leave";

export type OrgAction =
  | "org.view"
  | "org.members.view"
  | "org.activity.view"
  | "org.removeMember"
  | "org.invite"
  | "org.invitations.manage"
  | "org.changeRole"
  | "org.leave"
  | "projects.create"
  | "projects.manage"
  | "org.apiKeys.manage"
  | "org.sso.manage"
  // ── Issue 20: SCIM provisioning tokens ──
  | "org.scim.manage"
  // ── Issue 22: webhook endpoints ──
  | "org.webhooks.manage";

const MANAGE: ProjectAction[] = [
  "project.view",
  "invitations.view",
  "activity.view",
  "members.invite",
  "invitations.manage",
  "members.editRole",
  "members.remove",
];

/** The single role → permissions table (docs/product-rules.md, "Who may do what"). */
export const PROJECT_PERMISSIONS: Record<ProjectRole, readonly ProjectAction[]> = {
  admin: [...MANAGE, "project.leave"],
  read_write: ["project.view", "project.leave"],
  read_only: ["project.view", "project.leave"],
};

/** Organization Owners hold every Project Admin power on every project, without being listed. */
export const ORG_PROJECT_PERMISSIONS: Record<OrgRole, readonly ProjectAction[]> = {
  owner: MANAGE,
  member: [],
};

export const ORG_PERMISSIONS: Record<OrgRole, readonly OrgAction[]> = {
  owner: [
    "org.view",
    "org.members.view",
    "org.activity.view",
    "org.removeMember",
    "org.invite",
    "org.invitations.manage",
    "org.changeRole",
    "org.leave",
    "projects.create",
    "projects.manage",
    "org.apiKeys.manage",
    "org.sso.manage",
    // ── Issue 20: SCIM provisioning tokens ──
    "org.scim.manage",
    // ── Issue 22: webhook endpoints ──
    "org.webhooks.manage",
  ],
  // Members may look at who is in the organization (docs/screens.md: "Owners manage, members may look").
  member: ["org.view", "org.members.view", "org.leave"],
};

export interface Standing {
  orgRole: OrgRole | null;
  projectRole: ProjectRole | null;
}

/** Whether someone with this standing may do the action on a project. */
export function canOnProject(standing: Standing, action: ProjectAction): boolean {
  // A project role without an organization membership cannot exist (foreign key), but a
  // stale read must never grant more than the organization allows.
  if (!standing.orgRole) return false;
  if (standing.projectRole && PROJECT_PERMISSIONS[standing.projectRole].includes(action)) return true;
  return ORG_PROJECT_PERMISSIONS[standing.orgRole].includes(action);
}

export function canOnOrg(orgRole: OrgRole | null, action: OrgAction): boolean {
  return orgRole !== null && ORG_PERMISSIONS[orgRole].includes(action);
}
