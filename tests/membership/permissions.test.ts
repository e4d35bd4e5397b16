import { describe, expect, it } from "vitest";
import {
  canOnOrg,
  canOnProject,
  ORG_PERMISSIONS,
  ORG_PROJECT_PERMISSIONS,
  PROJECT_PERMISSIONS,
  type OrgAction,
  type ProjectAction,
  type Standing,
} from "@/lib/membership/permissions";
import { ORG_ROLES, PROJECT_ROLES, roleLabel, type OrgRole, type ProjectRole } from "@/lib/membership/roles";

/**
 * docs/product-rules.md "Who may do what", copied by hand as the oracle (not derived from the code's table).
 * Columns: Org Owner (not listed on the project) | Project Admin | Read-Write | Read-Only | other org member.
 */
type Column = "owner" | "admin" | "read_write" | "read_only" | "member";
const SPEC: Record<ProjectAction, Record<Column, boolean>> = {
  "project.view": { owner: true, admin: true, read_write: true, read_only: true, member: false },
  "invitations.view": { owner: true, admin: true, read_write: false, read_only: false, member: false },
  "activity.view": { owner: true, admin: true, read_write: false, read_only: false, member: false },
  "members.invite": { owner: true, admin: true, read_write: false, read_only: false, member: false },
  "invitations.manage": { owner: true, admin: true, read_write: false, read_only: false, member: false },
  "members.editRole": { owner: true, admin: true, read_write: false, read_only: false, member: false },
  "members.remove": { owner: true, admin: true, read_write: false, read_only: false, member: false },
  // "if a collaborator" for owners: being an owner alone gives nothing to leave.
  "project.leave": { owner: false, admin: true, read_write: true, read_only: true, member: false },
};
const ACTIONS = Object.keys(SPEC) as ProjectAction[];

/** What the spec says for a standing: the owner column and the project-role column add up. */
function specAllows(standing: Standing, action: ProjectAction): boolean {
  if (standing.orgRole === null) return false; // anyone else
  const byOrg = standing.orgRole === "owner" ? SPEC[action].owner : SPEC[action].member;
  const byProject = standing.projectRole ? SPEC[action][standing.projectRole] : false;
  return byOrg || byProject;
}

const STANDINGS: Standing[] = [null, ...ORG_ROLES].flatMap((orgRole) =>
  [null, ...PROJECT_ROLES].map((projectRole) => ({ orgRole: orgRole as OrgRole | null, projectRole: projectRole as ProjectRole | null })),
);
const CASES = STANDINGS.flatMap((standing) => ACTIONS.map((action) => ({ standing, action, allowed: specAllows(standing, action) })));

describe("canOnProject against docs/product-rules.md", () => {
  it(`covers ${STANDINGS.length} standings × ${ACTIONS.length} actions = ${CASES.length} cells`, () => {
    expect(CASES).toHaveLength(12 * 8);
    expect(new Set(ACTIONS)).toEqual(new Set([...PROJECT_PERMISSIONS.admin, ...ORG_PROJECT_PERMISSIONS.owner]));
  });

  it.each(
    CASES.map((c) => [c.standing.orgRole ?? "no org role", c.standing.projectRole ?? "no project role", c.action, c.allowed] as const),
  )("%s + %s: %s → %s", (orgRole, projectRole, action, allowed) => {
    const standing: Standing = {
      orgRole: orgRole === "no org role" ? null : orgRole,
      projectRole: projectRole === "no project role" ? null : projectRole,
    };
    expect(canOnProject(standing, action)).toBe(allowed);
  });

  it("a project role without an organization membership (a stale read) grants nothing", () => {
    for (const projectRole of PROJECT_ROLES)
      for (const action of ACTIONS) expect(canOnProject({ orgRole: null, projectRole }, action)).toBe(false);
  });

  it("an Organization Owner manages every project without being listed, but only a listed owner can leave", () => {
    for (const action of ACTIONS.filter((a) => a !== "project.leave"))
      expect(canOnProject({ orgRole: "owner", projectRole: null }, action)).toBe(true);
    expect(canOnProject({ orgRole: "owner", projectRole: null }, "project.leave")).toBe(false);
    expect(canOnProject({ orgRole: "owner", projectRole: "read_only" }, "project.leave")).toBe(true);
    expect(canOnProject({ orgRole: "owner", projectRole: "read_only" }, "members.remove")).toBe(true);
  });
});

describe("canOnOrg", () => {
  const ORG_SPEC: Record<OrgAction, Record<OrgRole | "none", boolean>> = {
    "org.view": { owner: true, member: true, none: false },
    "org.activity.view": { owner: true, member: false, none: false },
    "org.removeMember": { owner: true, member: false, none: false },
    "org.members.view": { owner: true, member: true, none: false },
    "org.invite": { owner: true, member: false, none: false },
    "org.invitations.manage": { owner: true, member: false, none: false },
    "org.changeRole": { owner: true, member: false, none: false },
    "org.leave": { owner: true, member: true, none: false },
    "projects.create": { owner: true, member: false, none: false },
    "projects.manage": { owner: true, member: false, none: false },
    "org.apiKeys.manage": { owner: true, member: false, none: false },
    "org.sso.manage": { owner: true, member: false, none: false },
    // ── Issue 20: SCIM provisioning tokens ──
    "org.scim.manage": { owner: true, member: false, none: false },
    "org.webhooks.manage": { owner: true, member: false, none: false },
  };
  const cases = (Object.keys(ORG_SPEC) as OrgAction[]).flatMap((action) =>
    (["owner", "member", "none"] as const).map((role) => [role, action, ORG_SPEC[action][role]] as const),
  );
  it.each(cases)("%s: %s → %s", (role, action, allowed) => {
    expect(canOnOrg(role === "none" ? null : role, action)).toBe(allowed);
  });
  it("the table has no action the spec does not know", () => {
    for (const role of ORG_ROLES) for (const action of ORG_PERMISSIONS[role]) expect(Object.keys(ORG_SPEC)).toContain(action);
  });
});

describe("role labels", () => {
  it.each([
    ["owner", "Organization Owner"],
    ["member", "Organization Member"],
    ["admin", "Project Admin"],
    ["read_write", "Project Read-Write"],
    ["read_only", "Project Read-Only"],
  ] as const)("%s is shown as %s", (role, label) => {
    expect(roleLabel(role)).toBe(label);
  });
});
