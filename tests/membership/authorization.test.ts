import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { projects } from "@/db/schema";
import * as m from "@/lib/membership";
import { testTargets, useTestDatabase } from "../db";
import {
  BASE_URL,
  attempt,
  buildWorld,
  describeError,
  invitationRow,
  orgRoleOf,
  pendingInvitationsFor,
  projectRoleOf,
  snapshot,
  uniqueEmail,
  worldOrgIds,
  type World,
} from "./fixtures";

/**
 * Every verb × every standing (docs/product-rules.md, "Who may do what"). Each allowed cell must succeed and
 * have its effect; each refused cell must fail with the right code and change no row.
 */

const ROLES = ["owner", "admin", "readWrite", "readOnly", "member", "outsider", "invitee", "signedOut", "crossTenant"] as const;
type Role = (typeof ROLES)[number];
/** "ok", a refusal code, or "n/a" where the cell does not exist (no ids to cross tenants with). */
type Expected = "ok" | m.DomainErrorCode | "n/a";

interface Scope {
  orgId: string;
  projectId: string;
  invitationId: string;
  token: string;
  userId: string;
}
type Field = keyof Scope;
const ALL_FIELDS: Field[] = ["orgId", "projectId", "invitationId", "token", "userId"];

const home = (w: World): Scope => ({
  orgId: w.org.id,
  projectId: w.project.id,
  invitationId: w.invitation.id,
  token: w.invitation.token,
  userId: w.target.id,
});
const foreignIds = (w: World): Scope => ({
  orgId: w.foreign.org.id,
  projectId: w.foreign.project.id,
  invitationId: w.foreign.invitation.id,
  token: w.foreign.invitation.token,
  userId: w.foreign.collaborator.id,
});

/** Cross-tenant variants: which fields carry the other organization's ids. The actor is our Organization Owner. */
const CROSS_VARIANTS: { label: string; foreign: Field[] }[] = [
  { label: "other tenant's ids", foreign: ALL_FIELDS },
  { label: "own org, other tenant's project", foreign: ["projectId", "invitationId", "token", "userId"] },
  { label: "own org and project, other tenant's target", foreign: ["invitationId", "token", "userId"] },
];

function crossScope(w: World, foreign: readonly Field[]): Scope {
  const h = home(w);
  const f = foreignIds(w);
  return Object.fromEntries(ALL_FIELDS.map((k) => [k, foreign.includes(k) ? f[k] : h[k]])) as unknown as Scope;
}

const MANAGE: Record<Role, Expected> = {
  owner: "ok",
  admin: "ok",
  readWrite: "FORBIDDEN",
  readOnly: "FORBIDDEN",
  member: "NOT_FOUND",
  outsider: "NOT_FOUND",
  invitee: "NOT_FOUND",
  signedOut: "UNAUTHENTICATED",
  crossTenant: "NOT_FOUND",
};
const VIEW: Record<Role, Expected> = { ...MANAGE, readWrite: "ok", readOnly: "ok" };
const INVITEE_ONLY: Record<Role, Expected> = {
  owner: "FORBIDDEN",
  admin: "FORBIDDEN",
  readWrite: "FORBIDDEN",
  readOnly: "FORBIDDEN",
  member: "FORBIDDEN",
  outsider: "FORBIDDEN",
  invitee: "ok",
  signedOut: "UNAUTHENTICATED",
  crossTenant: "FORBIDDEN",
};
const ORG_OWNER: Record<Role, Expected> = {
  owner: "ok",
  admin: "FORBIDDEN",
  readWrite: "FORBIDDEN",
  readOnly: "FORBIDDEN",
  member: "FORBIDDEN",
  outsider: "NOT_FOUND",
  invitee: "NOT_FOUND",
  signedOut: "UNAUTHENTICATED",
  crossTenant: "NOT_FOUND",
};
const ORG_MEMBER: Record<Role, Expected> = { ...ORG_OWNER, admin: "ok", readWrite: "ok", readOnly: "ok", member: "ok" };
/** Renaming or deleting a project: Owners only, and "not found" to whoever may not see the project. */
const PROJECT_OWNER: Record<Role, Expected> = { ...ORG_OWNER, member: "NOT_FOUND" };
/** Everyone, even signed out. */
const ANYONE = Object.fromEntries(ROLES.map((r) => [r, "ok"])) as Record<Role, Expected>;
/** Everyone signed in, each about their own (no other tenant's ids to try). */
const SIGNED_IN: Record<Role, Expected> = { ...ANYONE, signedOut: "UNAUTHENTICATED", crossTenant: "n/a" };

interface Ctx {
  db: Db;
  w: World;
  role: Role;
  actor: m.Actor | null;
  scope: Scope;
}

interface VerbSpec {
  verb: string;
  mutates: boolean;
  /** Scope fields the verb reads: decides which cross-tenant variants are distinct cells. */
  uses: Field[];
  expect: Record<Role, Expected>;
  call(c: Ctx): Promise<unknown>;
  /** The effect of an allowed cell, read back from the database or the result. */
  verify(c: Ctx, result: unknown): Promise<void> | void;
}

const opts = (w: World) => ({ now: w.now, baseUrl: BASE_URL });
const newProjectName = (w: World) => `Created ${w.tag}`;
const newAddress = (w: World) => `new.${w.tag}@example.test`;

const VERBS: VerbSpec[] = [
  {
    verb: "inviteUsers",
    mutates: true,
    uses: ["orgId", "projectId"],
    expect: MANAGE,
    call: ({ db, w, actor, scope }) =>
      m.inviteUsers(db, actor, { orgId: scope.orgId, projectId: scope.projectId, emails: [newAddress(w)], role: "read_only" }, opts(w)),
    async verify({ db, w }, result) {
      expect(result).toEqual([{ email: newAddress(w), outcome: "invited", invitationId: expect.any(String) }]);
      expect(await pendingInvitationsFor(db, w.org.id, newAddress(w))).toHaveLength(1);
    },
  },
  {
    verb: "resendInvitation",
    mutates: true,
    uses: ["orgId", "projectId", "invitationId"],
    expect: MANAGE,
    call: ({ db, w, actor, scope }) =>
      m.resendInvitation(db, actor, { orgId: scope.orgId, projectId: scope.projectId, invitationId: scope.invitationId }, opts(w)),
    async verify({ db, w }) {
      const row = await invitationRow(db, w.invitation.id);
      expect(row?.resendCount).toBe(1);
      expect(row?.lastSentAt).toEqual(w.now);
      expect((await m.getInvitationByToken(db, w.invitation.token, w.actors.invitee, { now: w.now })).state).toBe("unknown");
    },
  },
  {
    verb: "revokeInvitation",
    mutates: true,
    uses: ["orgId", "projectId", "invitationId"],
    expect: MANAGE,
    call: ({ db, w, actor, scope }) =>
      m.revokeInvitation(db, actor, { orgId: scope.orgId, projectId: scope.projectId, invitationId: scope.invitationId }, opts(w)),
    async verify({ db, w }) {
      expect((await invitationRow(db, w.invitation.id))?.status).toBe("revoked");
    },
  },
  {
    verb: "getInvitationByToken",
    mutates: false,
    uses: ["token"],
    expect: ANYONE,
    call: ({ db, w, actor, scope }) => m.getInvitationByToken(db, scope.token, actor, opts(w)),
    verify({ w, role }, result) {
      const view = result as m.InvitationView;
      const state = role === "invitee" ? "valid" : role === "signedOut" ? "sign_in" : "wrong_account";
      expect(view.state).toBe(state);
      if (view.state === "unknown") return;
      expect(view.orgId).toBe(role === "crossTenant" ? w.foreign.org.id : w.org.id);
    },
  },
  {
    verb: "acceptInvitation",
    mutates: true,
    uses: ["token"],
    expect: INVITEE_ONLY,
    call: ({ db, w, actor, scope }) => m.acceptInvitation(db, actor, { token: scope.token }, opts(w)),
    async verify({ db, w }) {
      expect(await orgRoleOf(db, w.org.id, w.actors.invitee.id)).toBe("member");
      expect(await projectRoleOf(db, w.project.id, w.actors.invitee.id)).toBe("read_write");
      expect((await invitationRow(db, w.invitation.id))?.status).toBe("accepted");
    },
  },
  {
    verb: "declineInvitation",
    mutates: true,
    uses: ["token"],
    expect: INVITEE_ONLY,
    call: ({ db, w, actor, scope }) => m.declineInvitation(db, actor, { token: scope.token }, opts(w)),
    async verify({ db, w }) {
      expect((await invitationRow(db, w.invitation.id))?.status).toBe("declined");
      expect(await orgRoleOf(db, w.org.id, w.actors.invitee.id)).toBeNull();
    },
  },
  {
    verb: "changeRole",
    mutates: true,
    uses: ["orgId", "projectId", "userId"],
    expect: MANAGE,
    call: ({ db, w, actor, scope }) =>
      m.changeRole(db, actor, { orgId: scope.orgId, projectId: scope.projectId, userId: scope.userId, role: "read_write" }, opts(w)),
    async verify({ db, w }, result) {
      expect(result).toEqual({ oldRole: "read_only", role: "read_write" });
      expect(await projectRoleOf(db, w.project.id, w.target.id)).toBe("read_write");
    },
  },
  {
    verb: "removeCollaborator",
    mutates: true,
    uses: ["orgId", "projectId", "userId"],
    expect: MANAGE,
    call: ({ db, w, actor, scope }) =>
      m.removeCollaborator(db, actor, { orgId: scope.orgId, projectId: scope.projectId, userId: scope.userId }, opts(w)),
    async verify({ db, w }) {
      expect(await projectRoleOf(db, w.project.id, w.target.id)).toBeNull();
      expect(await orgRoleOf(db, w.org.id, w.target.id)).toBe("member");
    },
  },
  {
    verb: "leaveProject",
    mutates: true,
    uses: ["orgId", "projectId"],
    // An Organization Owner who is not listed as a collaborator has nothing to leave.
    expect: { ...VIEW, owner: "CONFLICT" },
    call: ({ db, w, actor, scope }) => m.leaveProject(db, actor, { orgId: scope.orgId, projectId: scope.projectId }, opts(w)),
    async verify({ db, w, actor }, result) {
      expect(result).toEqual({ orgId: w.org.id });
      expect(await projectRoleOf(db, w.project.id, actor!.id)).toBeNull();
      expect(await orgRoleOf(db, w.org.id, actor!.id)).toBe("member");
    },
  },
  {
    verb: "listCollaborators",
    mutates: false,
    uses: ["orgId", "projectId"],
    expect: VIEW,
    call: ({ db, actor, scope }) => m.listCollaborators(db, actor, { orgId: scope.orgId, projectId: scope.projectId }),
    verify({ w }, result) {
      const page = result as m.Page<m.Collaborator>;
      const expected = [w.actors.admin, w.admin2, w.actors.readWrite, w.actors.readOnly, w.target].map((a) => a.email).sort();
      expect(page.items.map((i) => i.email).sort()).toEqual(expected);
      expect(page.total).toBe(5);
      expect(page.items.slice(0, 2).map((i) => i.role)).toEqual(["admin", "admin"]);
    },
  },
  {
    verb: "listPendingInvitations",
    mutates: false,
    uses: ["orgId", "projectId"],
    expect: { ...MANAGE },
    call: ({ db, w, actor, scope }) => m.listPendingInvitations(db, actor, { orgId: scope.orgId, projectId: scope.projectId }, opts(w)),
    verify({ w }, result) {
      const page = result as m.Page<m.PendingInvitation>;
      expect(page.items.map((i) => i.id).sort()).toEqual([w.invitation.id, w.strangerInvitation.id].sort());
      expect(page.items.every((i) => i.expiryLabel === "Expires in 48 hours")).toBe(true);
    },
  },
  {
    verb: "listActivity",
    mutates: false,
    uses: ["orgId", "projectId"],
    expect: MANAGE,
    call: ({ db, actor, scope }) => m.listActivity(db, actor, { orgId: scope.orgId, projectId: scope.projectId }),
    verify({ w }, result) {
      const page = result as m.Page<m.ActivityItem>;
      expect(page.total).toBe(1);
      expect(page.items.map((i) => i.targetEmail)).toEqual([w.actors.invitee.email]);
    },
  },
  {
    verb: "listOrganizationActivity",
    mutates: false,
    uses: ["orgId"],
    expect: ORG_OWNER,
    call: ({ db, actor, scope }) => m.listOrganizationActivity(db, actor, { orgId: scope.orgId }),
    verify({ w }, result) {
      const page = result as m.Page<m.ActivityItem>;
      expect(page.total).toBe(1);
      expect(page.items.map((i) => i.projectName)).toEqual([w.project.name]);
    },
  },
  {
    verb: "removeOrganizationMember",
    mutates: true,
    uses: ["orgId", "userId"],
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) => m.removeOrganizationMember(db, actor, { orgId: scope.orgId, userId: scope.userId }, opts(w)),
    async verify({ db, w }, result) {
      expect(result).toEqual({ removed: w.target.email, projects: 1 });
      expect(await orgRoleOf(db, w.org.id, w.target.id)).toBeNull();
      expect(await projectRoleOf(db, w.project.id, w.target.id)).toBeNull();
    },
  },
  {
    verb: "createProject",
    mutates: true,
    uses: ["orgId"],
    // Only Organization Owners create projects (docs/product-rules.md).
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) => m.createProject(db, actor, { orgId: scope.orgId, name: newProjectName(w) }, opts(w)),
    async verify({ db, actor }, result) {
      const { id } = result as { id: string };
      expect(await projectRoleOf(db, id, actor!.id)).toBe("admin");
    },
  },
  {
    verb: "renameProject",
    mutates: true,
    uses: ["orgId", "projectId"],
    expect: PROJECT_OWNER,
    call: ({ db, w, actor, scope }) =>
      m.renameProject(db, actor, { orgId: scope.orgId, projectId: scope.projectId, name: `Renamed ${w.tag}` }, opts(w)),
    async verify({ db, w }) {
      const [row] = await db.select({ name: projects.name }).from(projects).where(eq(projects.id, w.project.id));
      expect(row?.name).toBe(`Renamed ${w.tag}`);
    },
  },
  {
    verb: "deleteProject",
    mutates: true,
    uses: ["orgId", "projectId"],
    expect: PROJECT_OWNER,
    call: ({ db, w, actor, scope }) =>
      m.deleteProject(
        db,
        actor,
        {
          orgId: scope.orgId,
          projectId: scope.projectId,
          confirmName: scope.projectId === w.project.id ? w.project.name : w.foreign.project.name,
        },
        opts(w),
      ),
    async verify({ db, w }) {
      expect(await db.select().from(projects).where(eq(projects.id, w.project.id))).toEqual([]);
      expect(await projectRoleOf(db, w.project.id, w.target.id)).toBeNull();
      expect((await invitationRow(db, w.invitation.id))?.status).toBe("revoked");
    },
  },
  {
    verb: "createOrganization",
    mutates: true,
    uses: [],
    expect: SIGNED_IN,
    call: ({ db, w, actor }) => m.createOrganization(db, actor, { name: `New org ${w.tag}` }, opts(w)),
    async verify({ db, actor }, result) {
      const { orgId, projectId } = result as { orgId: string; projectId: string };
      expect(await orgRoleOf(db, orgId, actor!.id)).toBe("owner");
      expect(await projectRoleOf(db, projectId, actor!.id)).toBe("admin");
    },
  },
  {
    verb: "copyInvitationLink",
    mutates: true,
    uses: ["orgId", "projectId", "invitationId"],
    expect: MANAGE,
    call: ({ db, w, actor, scope }) =>
      m.copyInvitationLink(db, actor, { orgId: scope.orgId, projectId: scope.projectId, invitationId: scope.invitationId }, opts(w)),
    async verify({ db, w }, result) {
      const { url } = result as { url: string };
      expect((await m.getInvitationByToken(db, w.invitation.token, w.actors.invitee, { now: w.now })).state).toBe("unknown");
      expect((await m.getInvitationByToken(db, url.split("/").pop()!, w.actors.invitee, { now: w.now })).state).toBe("valid");
      expect((await invitationRow(db, w.invitation.id))?.resendCount).toBe(0);
    },
  },
  {
    verb: "inviteToOrganization",
    mutates: true,
    uses: ["orgId", "projectId"],
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) =>
      m.inviteToOrganization(
        db,
        actor,
        { orgId: scope.orgId, emails: [newAddress(w)], orgRole: "owner", projects: [{ projectId: scope.projectId, role: "read_write" }] },
        opts(w),
      ),
    async verify({ db, w }, result) {
      expect(result).toEqual([{ email: newAddress(w), outcome: "invited", invitationId: expect.any(String) }]);
      expect((await pendingInvitationsFor(db, w.org.id, newAddress(w)))[0]?.orgRole).toBe("owner");
    },
  },
  {
    verb: "listOrganizationInvitations",
    mutates: false,
    uses: ["orgId"],
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) => m.listOrganizationInvitations(db, actor, { orgId: scope.orgId }, opts(w)),
    verify({ w }, result) {
      expect((result as m.Page<m.PendingInvitation>).items.map((i) => i.email).sort()).toEqual(
        [w.invitation.email, w.strangerInvitation.email].sort(),
      );
    },
  },
  {
    verb: "resendOrganizationInvitation",
    mutates: true,
    uses: ["orgId", "invitationId"],
    expect: ORG_OWNER,
    // Eleven minutes after the seeded send, so the once-a-minute limit is not what answers.
    call: ({ db, w, actor, scope }) =>
      m.resendOrganizationInvitation(db, actor, { orgId: scope.orgId, invitationId: scope.invitationId }, opts(w)),
    async verify({ db, w }) {
      expect((await invitationRow(db, w.invitation.id))?.resendCount).toBe(1);
    },
  },
  {
    verb: "revokeOrganizationInvitation",
    mutates: true,
    uses: ["orgId", "invitationId"],
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) =>
      m.revokeOrganizationInvitation(db, actor, { orgId: scope.orgId, invitationId: scope.invitationId }, opts(w)),
    async verify({ db, w }) {
      expect((await invitationRow(db, w.invitation.id))?.status).toBe("revoked");
    },
  },
  {
    verb: "copyOrganizationInvitationLink",
    mutates: true,
    uses: ["orgId", "invitationId"],
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) =>
      m.copyOrganizationInvitationLink(db, actor, { orgId: scope.orgId, invitationId: scope.invitationId }, opts(w)),
    async verify({ db, w }) {
      expect((await m.getInvitationByToken(db, w.invitation.token, w.actors.invitee, { now: w.now })).state).toBe("unknown");
    },
  },
  {
    verb: "changeOrganizationRole",
    mutates: true,
    uses: ["orgId", "userId"],
    expect: ORG_OWNER,
    call: ({ db, w, actor, scope }) =>
      m.changeOrganizationRole(db, actor, { orgId: scope.orgId, userId: scope.userId, role: "owner" }, opts(w)),
    async verify({ db, w }) {
      expect(await orgRoleOf(db, w.org.id, w.target.id)).toBe("owner");
    },
  },
  {
    verb: "leaveOrganization",
    mutates: true,
    uses: ["orgId"],
    // Anyone in the organization may leave; the fixture's only owner is its last Owner, and the
    // read-write, read-only and admin collaborators leave their projects with it (admin2 stays admin).
    expect: { ...ORG_MEMBER, owner: "LAST_OWNER" },
    call: ({ db, w, actor, scope }) => m.leaveOrganization(db, actor, { orgId: scope.orgId }, opts(w)),
    async verify({ db, w, actor }) {
      expect(await orgRoleOf(db, w.org.id, actor!.id)).toBeNull();
      expect(await projectRoleOf(db, w.project.id, actor!.id)).toBeNull();
    },
  },
  {
    verb: "getOrganizationOverview",
    mutates: false,
    uses: ["orgId"],
    expect: ORG_MEMBER,
    call: ({ db, actor, scope }) => m.getOrganizationOverview(db, actor, { orgId: scope.orgId }),
    verify({ w, role }, result) {
      expect(result).toMatchObject({
        org: { id: w.org.id },
        orgRole: role === "owner" ? "owner" : "member",
        isLastOwner: role === "owner",
      });
    },
  },
  {
    verb: "listOrganizationMembers",
    mutates: false,
    uses: ["orgId"],
    expect: ORG_MEMBER,
    call: ({ db, actor, scope }) => m.listOrganizationMembers(db, actor, { orgId: scope.orgId }),
    verify(_c, result) {
      expect((result as m.Page<unknown>).total).toBe(7);
    },
  },
  {
    verb: "listOrganizations",
    mutates: false,
    uses: [],
    expect: SIGNED_IN,
    call: ({ db, actor }) => m.listOrganizations(db, actor),
    verify({ w, role }, result) {
      const ids = (result as m.VisibleOrganization[]).map((o) => o.id);
      expect(ids).toEqual(role === "outsider" ? [w.foreign.org.id] : role === "invitee" ? [] : [w.org.id]);
    },
  },
  {
    verb: "listProjects",
    mutates: false,
    uses: ["orgId"],
    expect: ORG_MEMBER,
    call: ({ db, actor, scope }) => m.listProjects(db, actor, { orgId: scope.orgId }),
    verify({ w, role }, result) {
      const ids = (result as { projects: m.VisibleProject[] }).projects.map((p) => p.id).sort();
      const expected = role === "owner" ? [w.project.id, w.sideProject.id] : role === "member" ? [] : [w.project.id];
      expect(ids).toEqual(expected.sort());
    },
  },
  {
    verb: "getProjectOverview",
    mutates: false,
    uses: ["orgId", "projectId"],
    expect: VIEW,
    call: ({ db, actor, scope }) => m.getProjectOverview(db, actor, { orgId: scope.orgId, projectId: scope.projectId }),
    verify({ role }, result) {
      const overview = result as Awaited<ReturnType<typeof m.getProjectOverview>>;
      const manages = role === "owner" || role === "admin";
      expect(overview.can["members.invite"]).toBe(manages);
      expect(overview.can["members.remove"]).toBe(manages);
      expect(overview.can["invitations.view"]).toBe(manages);
      expect(overview.can["project.leave"]).toBe(role !== "owner");
      expect(overview.orgRole).toBe(role === "owner" ? "owner" : "member");
    },
  },
];

interface Cell {
  spec: VerbSpec;
  role: Role;
  expected: Exclude<Expected, "n/a">;
  /** For crossTenant: which fields carry the other tenant's ids. */
  foreign?: Field[];
  variant?: string;
}

function buildCells(): Cell[] {
  const cells: Cell[] = [];
  for (const spec of VERBS) {
    for (const role of ROLES) {
      const expected = spec.expect[role];
      if (expected === "n/a") continue;
      if (role !== "crossTenant") {
        cells.push({ spec, role, expected });
        continue;
      }
      const seen = new Set<string>();
      for (const variant of CROSS_VARIANTS) {
        const signature = spec.uses.filter((f) => variant.foreign.includes(f)).join(",");
        if (signature === "" || seen.has(signature)) continue;
        seen.add(signature);
        cells.push({ spec, role, expected, foreign: variant.foreign, variant: variant.label });
      }
    }
  }
  return cells;
}

const CELLS = buildCells();
const EXPECTED_VERBS = [
  "inviteUsers",
  "resendInvitation",
  "revokeInvitation",
  "getInvitationByToken",
  "acceptInvitation",
  "declineInvitation",
  "changeRole",
  "removeCollaborator",
  "leaveProject",
  "listCollaborators",
  "listPendingInvitations",
  "listActivity",
  "listOrganizationActivity",
  "removeOrganizationMember",
  "createProject",
  "renameProject",
  "deleteProject",
  "createOrganization",
  "copyInvitationLink",
  "inviteToOrganization",
  "listOrganizationInvitations",
  "resendOrganizationInvitation",
  "revokeOrganizationInvitation",
  "copyOrganizationInvitationLink",
  "changeOrganizationRole",
  "leaveOrganization",
  "getOrganizationOverview",
  "listOrganizationMembers",
  "listOrganizations",
  "listProjects",
  "getProjectOverview",
];

const tally = (pred: (c: Cell) => boolean) => CELLS.filter(pred).length;
console.log(
  `[authorization] matrix: ${VERBS.length} verbs × ${ROLES.length} standings → ${CELLS.length} cells per target ` +
    `(${tally((c) => c.expected === "ok")} allowed, ${tally((c) => c.expected !== "ok")} refused; ` +
    `${tally((c) => c.role === "crossTenant")} cross-tenant variants) on ${testTargets().join(" + ")}`,
);

function actorFor(w: World, role: Role): m.Actor | null {
  if (role === "signedOut") return null;
  if (role === "crossTenant") return w.actors.owner;
  return w.actors[role];
}

describe("authorization matrix table", () => {
  it("covers every domain verb exactly once", () => {
    expect(VERBS.map((v) => v.verb).sort()).toEqual([...EXPECTED_VERBS].sort());
    for (const name of EXPECTED_VERBS) expect(typeof (m as Record<string, unknown>)[name], name).toBe("function");
  });

  it("has one cell per verb and standing, plus the distinct cross-tenant variants", () => {
    for (const spec of VERBS) {
      const own = CELLS.filter((c) => c.spec === spec && c.role !== "crossTenant").length;
      expect(own, spec.verb).toBe(ROLES.filter((r) => r !== "crossTenant" && spec.expect[r] !== "n/a").length);
    }
    expect(CELLS.length).toBeGreaterThanOrEqual(VERBS.length * (ROLES.length - 1));
  });
});

describe.each(testTargets())("authorization matrix on %s", (kind) => {
  const database = useTestDatabase(kind);

  for (const cell of CELLS) {
    const title = `${cell.spec.verb} × ${cell.role}${cell.variant ? ` (${cell.variant})` : ""} → ${cell.expected}`;
    it(title, async () => {
      const db = database.db;
      const w = await buildWorld(db);
      const ctx: Ctx = {
        db,
        w,
        role: cell.role,
        actor: actorFor(w, cell.role),
        scope: cell.foreign ? crossScope(w, cell.foreign) : home(w),
      };
      const before = await snapshot(db, worldOrgIds(w));
      const outcome = await attempt(() => cell.spec.call(ctx));
      const after = await snapshot(db, worldOrgIds(w));

      if (cell.expected === "ok") {
        if (!outcome.ok) throw new Error(`expected success, got ${describeError(outcome.error)}`);
        await cell.spec.verify(ctx, outcome.value);
        if (cell.spec.mutates) expect(after, "an allowed change must show in the rows").not.toEqual(before);
        else expect(after).toEqual(before);
        return;
      }
      if (outcome.ok) throw new Error(`expected ${cell.expected}, but it succeeded with ${JSON.stringify(outcome.value)?.slice(0, 300)}`);
      if (!(outcome.error instanceof m.DomainError))
        throw new Error(`expected DomainError ${cell.expected}, got ${describeError(outcome.error)}`);
      expect(outcome.error.code, outcome.error.message).toBe(cell.expected);
      expect(after, "a refused call must change nothing").toEqual(before);
    });
  }

  it("a refusal really leaves the fixture untouched while an admin's change is visible (snapshot sensitivity)", async () => {
    const db = database.db;
    const w = await buildWorld(db);
    const before = await snapshot(db, worldOrgIds(w));
    await m.changeRole(db, w.actors.admin, { orgId: w.org.id, projectId: w.project.id, userId: w.target.id, role: "admin" }, opts(w));
    const after = await snapshot(db, worldOrgIds(w));
    expect(after.projectMemberships).not.toEqual(before.projectMemberships);
    expect(after.activityCounts[w.org.id]).toBe((before.activityCounts[w.org.id] ?? 0) + 1);
    // An address nobody in the fixture uses: the global counters catch rows outside the world too.
    await m.inviteUsers(
      db,
      w.actors.owner,
      { orgId: w.org.id, projectId: w.project.id, emails: [uniqueEmail("x")], role: "read_only" },
      opts(w),
    );
    const third = await snapshot(db, worldOrgIds(w));
    expect(third.tableCounts.email_outbox).toBe((after.tableCounts.email_outbox ?? 0) + 1);
    expect(third.tableCounts.invitations).toBe((after.tableCounts.invitations ?? 0) + 1);
  });
});
