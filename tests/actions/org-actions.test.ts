import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { doubles } from "./action-doubles";
import type { Db } from "@/db/client";
import { organizations, users } from "@/db/schema";
import type { Actor } from "@/lib/membership";
import { useTestDatabase } from "../db";
import { buildWorld, orgRoleOf, uniqueEmail, type World } from "../membership/fixtures";

/**
 * The new server actions called directly, as a request would reach them: session → zod → domain.
 * Only the framework around them is replaced (who is signed in, which database, cache and
 * redirects); the domain runs against a real database.
 */
vi.mock("@/lib/server/mailer", () => ({ deliverAfterResponse: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error("NEXT_REDIRECT"), { url });
  },
}));

const orgActions = await import("@/app/orgs/actions");
const projectsActions = await import("@/app/orgs/[orgId]/actions");
const usersActions = await import("@/app/orgs/[orgId]/members/actions");
const projectActions = await import("@/app/orgs/[orgId]/projects/[projectId]/members/actions");

type Result = { ok: boolean; code?: string };
type Who = "allowed" | "forbidden" | "signedOut" | "crossTenant";

interface Case {
  action: string;
  /** Who is signed in for each cell; "forbidden" is null where no such standing exists. */
  actors: (w: World) => Record<Who, Actor | null | undefined>;
  call: (w: World) => Promise<Result>;
  expected?: Partial<Record<Who, string>>;
  na?: Who[];
}

const form = (values: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(values)) data.set(k, v);
  return data;
};

/** Runs a form action that redirects on success: the redirect means "ok". */
async function redirecting(fn: () => Promise<Result>): Promise<Result> {
  try {
    return await fn();
  } catch (err) {
    if ((err as { url?: string }).url) return { ok: true };
    throw err;
  }
}

const ownerOnly = (w: World) => ({ allowed: w.actors.owner, forbidden: w.actors.admin, signedOut: null, crossTenant: w.foreign.owner });

const CASES: Case[] = [
  {
    action: "createOrganizationAction",
    // Anyone signed in may start an organization: no forbidden or cross-tenant standing exists.
    na: ["forbidden", "crossTenant"],
    actors: (w) => ({ allowed: w.actors.outsider, forbidden: undefined, signedOut: null, crossTenant: undefined }),
    call: () => redirecting(() => orgActions.createOrganizationAction(null, form({ name: "Started here" }))),
  },
  {
    action: "setDisplayNameAction",
    // Anyone signed in sets their own name, and only their own: no forbidden or cross-tenant standing.
    na: ["forbidden", "crossTenant"],
    actors: (w) => ({ allowed: w.actors.readOnly, forbidden: undefined, signedOut: null, crossTenant: undefined }),
    call: () => orgActions.setDisplayNameAction({ name: "Reed R. Reader" }),
  },
  {
    action: "createProjectAction",
    actors: ownerOnly,
    call: (w) => redirecting(() => projectsActions.createProjectAction(null, form({ orgId: w.org.id, name: "By action" }))),
  },
  {
    action: "renameProjectAction",
    actors: ownerOnly,
    call: (w) => projectsActions.renameProjectAction({ orgId: w.org.id, projectId: w.project.id, name: "Renamed" }),
  },
  {
    action: "deleteProjectAction",
    // The side project's own admin may see it but not delete it.
    actors: (w) => ({ ...ownerOnly(w), forbidden: w.admin2 }),
    call: (w) => projectsActions.deleteProjectAction({ orgId: w.org.id, projectId: w.sideProject.id, confirmName: w.sideProject.name }),
  },
  {
    action: "inviteToOrganizationAction",
    actors: ownerOnly,
    call: (w) =>
      usersActions.inviteToOrganizationAction({
        orgId: w.org.id,
        emails: uniqueEmail("a"),
        orgRole: "member",
        projects: [{ projectId: w.project.id, role: "read_only" }],
      }),
  },
  {
    action: "changeOrganizationRoleAction",
    actors: ownerOnly,
    call: (w) => usersActions.changeOrganizationRoleAction({ orgId: w.org.id, userId: w.actors.member.id, role: "owner" }),
  },
  {
    action: "resendOrganizationInvitationAction",
    actors: ownerOnly,
    call: (w) => usersActions.resendOrganizationInvitationAction({ orgId: w.org.id, invitationId: w.invitation.id }),
  },
  {
    action: "revokeOrganizationInvitationAction",
    actors: ownerOnly,
    call: (w) => usersActions.revokeOrganizationInvitationAction({ orgId: w.org.id, invitationId: w.invitation.id }),
  },
  {
    action: "copyOrganizationInvitationLinkAction",
    actors: ownerOnly,
    call: (w) => usersActions.copyOrganizationInvitationLinkAction({ orgId: w.org.id, invitationId: w.invitation.id }),
  },
  {
    action: "copyInvitationLinkAction",
    actors: (w) => ({ allowed: w.actors.admin, forbidden: w.actors.readWrite, signedOut: null, crossTenant: w.foreign.owner }),
    call: (w) => projectActions.copyInvitationLinkAction({ orgId: w.org.id, projectId: w.project.id, invitationId: w.invitation.id }),
  },
  {
    action: "leaveOrganizationAction",
    // Anyone may leave, except the last Owner.
    actors: (w) => ({ allowed: w.actors.member, forbidden: w.actors.owner, signedOut: null, crossTenant: w.foreign.owner }),
    call: (w) => usersActions.leaveOrganizationAction({ orgId: w.org.id }),
    expected: { forbidden: "LAST_OWNER" },
  },
];

const DEFAULT: Record<Who, string> = { allowed: "ok", forbidden: "FORBIDDEN", signedOut: "UNAUTHENTICATED", crossTenant: "NOT_FOUND" };

describe("the new server actions, called directly", () => {
  const database = useTestDatabase("pglite");
  beforeAll(async () => {
    doubles.db = database.db;
  });

  for (const c of CASES) {
    for (const who of (["allowed", "forbidden", "signedOut", "crossTenant"] as const).filter((x) => !c.na?.includes(x))) {
      const expected = c.expected?.[who] ?? DEFAULT[who];
      it(`${c.action} as ${who} → ${expected}`, async () => {
        const w = await buildWorld(database.db as Db);
        doubles.actor = c.actors(w)[who] ?? null;
        const result = await c.call(w);
        expect(result.ok ? "ok" : result.code).toBe(expected);
      });
    }
  }

  it("refuses malformed input before the domain, with the one result shape", async () => {
    const w = await buildWorld(database.db as Db);
    doubles.actor = w.actors.owner;
    const bad = await usersActions.inviteToOrganizationAction({ orgId: w.org.id, emails: "x@example.test", orgRole: "superuser" });
    expect(bad).toMatchObject({ ok: false, code: "INVALID" });
    expect((await usersActions.changeOrganizationRoleAction({ orgId: w.org.id, userId: 42, role: "owner" })).ok).toBe(false);
    expect(await orgRoleOf(database.db as Db, w.org.id, w.actors.member.id)).toBe("member");
  });

  it("a refused form gives its fields back as typed, so the form shows them again; a refused domain call too", async () => {
    const w = await buildWorld(database.db as Db);
    doubles.actor = w.actors.owner;
    const unreadable = "Vec\u202etors";
    const refused = await projectsActions.createProjectAction(null, form({ orgId: w.org.id, name: unreadable }));
    expect(refused).toMatchObject({ ok: false, code: "INVALID", values: { orgId: w.org.id, name: unreadable } });
    doubles.actor = w.actors.admin;
    const forbidden = await projectsActions.createProjectAction(null, form({ orgId: w.org.id, name: "Not mine to make" }));
    expect(forbidden).toMatchObject({ ok: false, code: "FORBIDDEN", values: { name: "Not mine to make" } });
    // The organization form, the first form a new person meets, gives its name back the same way.
    doubles.actor = w.actors.outsider;
    const before = await (database.db as Db).select({ n: count() }).from(organizations);
    const refusedOrg = await orgActions.createOrganizationAction(null, form({ name: unreadable }));
    expect(refusedOrg).toMatchObject({ ok: false, code: "INVALID", values: { name: unreadable } });
    expect(await (database.db as Db).select({ n: count() }).from(organizations)).toEqual(before);
  });

  it("a display name changes only the signed-in person's own row; bad names are refused and change nothing", async () => {
    const w = await buildWorld(database.db as Db);
    const nameOf = async (id: string) =>
      (await (database.db as Db).select({ name: users.name }).from(users).where(eq(users.id, id)))[0]?.name;
    const before = await nameOf(w.actors.admin.id);
    doubles.actor = w.actors.readOnly;
    expect(await orgActions.setDisplayNameAction({ name: "  Reed   Reader  " })).toMatchObject({ ok: true, data: { name: "Reed Reader" } });
    expect(await nameOf(w.actors.readOnly.id)).toBe("Reed Reader");
    expect(await nameOf(w.actors.admin.id)).toBe(before);
    for (const bad of ["", "   ", "x".repeat(81), "Evil\u0000Name", "Evil\u0085Name", "\u202eemaN", "\u200b\u200b", 42, null]) {
      const result = await orgActions.setDisplayNameAction({ name: bad });
      expect(result).toMatchObject({ ok: false, code: "INVALID" });
      expect(result.ok ? "" : result.message).toMatch(/display name/);
    }
    expect(await nameOf(w.actors.readOnly.id)).toBe("Reed Reader");
    // A user id in the input is not a way to rename someone else.
    expect((await orgActions.setDisplayNameAction({ name: "Hijack", userId: w.actors.admin.id })).ok).toBe(true);
    expect(await nameOf(w.actors.admin.id)).toBe(before);
  });
});
